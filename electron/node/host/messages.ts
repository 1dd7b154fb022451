/**
 * Engine events phrased for a person: what happened and, where there is one, what to do. Server
 * text in them is already escaped and cut by the engine; the whole message is cut again here.
 */
import type { UserMessage } from '../../../shared/api.js';
import type { EngineEvent } from '../../../shared/engine-events.js';
import { MESSAGE_MAX, safeText } from '../../../shared/safe-text.js';

const PROBLEM_TEXT: Record<string, string> = {
  'malformed-json': 'a frame that is not valid JSON was received (archived in the frames table)',
  'repaired-json': 'a frame with invalid characters was received and repaired (archived verbatim)',
  'unknown-service': 'a frame named a service Tapedeck does not know (archived verbatim)',
  'unknown-field': 'an update carried a field Tapedeck does not know (archived verbatim)',
  'bad-item': 'an update item without a symbol was skipped (archived verbatim)',
  'unexpected-shape': 'a frame arrived in an unexpected shape (archived verbatim)',
  'too-large': 'a frame too large to decode was received (archived verbatim, not decoded)',
  'too-deep': 'an update carried a value nested too deeply; that field was left out (archived verbatim)',
  'invalid-text': 'an update carried text that is not valid Unicode; it was stored with U+FFFD (archived verbatim)',
  'invalid-utf8': 'a frame that is not valid UTF-8 was received (archived as bytes)',
  'binary-frame': 'a binary frame was received (archived, not decoded)',
  'decode-failed': 'a frame could not be decoded (archived verbatim)',
  'frame-failed': 'a frame could not be processed (archived verbatim)',
};


export function messageFor(e: EngineEvent, now = Date.now()): UserMessage | null {
  const m = phrase(e, now);
  return m && { ...m, text: safeText(m.text, MESSAGE_MAX) };
}

function phrase(e: EngineEvent, now: number): UserMessage | null {
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
      if (e.kind === 'summary') return { level: 'warning', text: `Problems continue: ${e.detail}`, at: now };
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
