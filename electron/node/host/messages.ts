/** Engine events phrased for a person: what happened and, where there is one, what to do. */
import type { UserMessage } from '../../../shared/api.js';
import type { EngineEvent } from '../../../shared/engine-events.js';

const PROBLEM_TEXT: Record<string, string> = {
  'malformed-json': 'a frame that is not valid JSON was received (archived in the frames table)',
  'repaired-json': 'a frame with invalid characters was received and repaired (archived verbatim)',
  'unknown-service': 'a frame named a service Tapedeck does not know (archived verbatim)',
  'unknown-field': 'an update carried a field Tapedeck does not know (archived verbatim)',
  'bad-item': 'an update item without a symbol was skipped (archived verbatim)',
  'unexpected-shape': 'a frame arrived in an unexpected shape (archived verbatim)',
};

export function messageFor(e: EngineEvent, now = Date.now()): UserMessage | null {
  switch (e.type) {
    case 'fatal':
      return { level: 'error', text: `Streaming stopped: ${e.message}`, at: now };
    case 'connection':
      // Drops and reconnects are shown by the window's one connection banner (from the status), not
      // as a notice each; only a reconnect is worth a (fading) note that the data flows again.
      return e.event === 'connected' && /^reconnected/.test(e.detail) ? { level: 'info', text: e.detail.replace(/^./, (c) => c.toUpperCase()), at: now } : null;
    case 'subscription-error':
      return { level: 'warning', text: `${e.service} ${e.keys.join(', ')} was refused: ${e.message} (code ${e.code})`, at: now };
    case 'problem': {
      const what = PROBLEM_TEXT[e.kind] ?? e.kind;
      const times = e.count > 1 ? ` (${e.count} so far)` : '';
      return { level: 'warning', text: `${what.replace(/^./, (c) => c.toUpperCase())}${e.service ? ` — ${e.service}` : ''}${times}`, at: now };
    }
    case 'notice':
      return { level: 'info', text: `${e.service}: ${e.message} (code ${e.code})`, at: now };
    default:
      return null;
  }
}
