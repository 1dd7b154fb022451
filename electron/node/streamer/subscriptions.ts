/**
 * The client's record of what it wants subscribed, kept across reconnects so exactly this set is
 * re-subscribed once per new connection (as the Schwabdev and Sainglend clients do).
 */
export interface ServiceSubscription {
  service: string;
  keys: string[];
  fields: number[];
}

interface Entry {
  keys: Set<string>;
  fields: number[];
}

export class SubscriptionSet {
  private readonly entries = new Map<string, Entry>();

  /** Adds keys; returns the keys that were new (already-present keys need no command). */
  add(service: string, keys: readonly string[], fields: readonly number[]): string[] {
    let entry = this.entries.get(service);
    if (!entry) {
      entry = { keys: new Set(), fields: [...fields] };
      this.entries.set(service, entry);
    }
    const added: string[] = [];
    for (const key of keys) {
      if (!entry.keys.has(key)) {
        entry.keys.add(key);
        added.push(key);
      }
    }
    return added;
  }

  /** Removes keys; a service left with no keys is forgotten. Returns the keys that were present. */
  remove(service: string, keys: readonly string[]): string[] {
    const entry = this.entries.get(service);
    if (!entry) return [];
    const removed = keys.filter((k) => entry.keys.delete(k));
    if (entry.keys.size === 0) this.entries.delete(service);
    return removed;
  }

  setFields(service: string, fields: readonly number[]): boolean {
    const entry = this.entries.get(service);
    if (!entry) return false;
    entry.fields = [...fields];
    return true;
  }

  has(service: string): boolean {
    return this.entries.has(service);
  }

  fields(service: string): number[] | undefined {
    return this.entries.get(service)?.fields;
  }

  list(): ServiceSubscription[] {
    return [...this.entries].map(([service, e]) => ({ service, keys: [...e.keys], fields: [...e.fields] }));
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }
}
