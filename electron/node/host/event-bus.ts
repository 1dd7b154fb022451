/**
 * The host's typed event bus. Until the first listener subscribes, events are queued (bounded), so
 * what services say while the host starts (a corrupt settings file, no secure storage) reaches the
 * window instead of being lost. Quote batches are not queued: the snapshot a window loads supersedes them.
 */
import type { EventName, Events } from '../../../shared/api.js';
import { MESSAGE_MAX, safeText } from '../../../shared/safe-text.js';

export type HostListener = <K extends EventName>(name: K, payload: Events[K]) => void;
export type Emit = <K extends EventName>(name: K, payload: Events[K]) => void;

const MAX_QUEUED = 200;

export class EventBus {
  private readonly listeners = new Set<HostListener>();
  private queue: [EventName, unknown][] | null = [];

  readonly emit: Emit = (name, payload) => {
    if (this.queue) {
      if (name !== 'engine:quotes') {
        this.queue.push([name, payload]);
        if (this.queue.length > MAX_QUEUED) this.queue.shift();
      }
      return;
    }
    for (const l of this.listeners) l(name, payload);
  };

  /** A person-facing message (the renderer shows it; the CLI prints it), escaped and cut: it may quote a server. */
  message(level: Events['engine:message']['level'], text: string): void {
    this.emit('engine:message', { level, text: safeText(text, MESSAGE_MAX), at: Date.now() });
  }

  on(listener: HostListener): () => void {
    this.listeners.add(listener);
    const queued = this.queue;
    if (queued) {
      this.queue = null;
      for (const [name, payload] of queued) listener(name, payload as never);
    }
    return () => this.listeners.delete(listener);
  }
}
