/** What the PostgreSQL sink is doing, in words: a line for Settings and a short one for the status bar. */
import type { SinkStatus } from '../../../shared/sink-status.js';

const int = new Intl.NumberFormat('en-US');

const behind = (s: SinkStatus) => (s.behindRows === null ? '' : `, ${int.format(s.behindRows)} rows behind`);

/** One sentence for Settings; null when the sink is off. */
export function sinkDescription(s: SinkStatus | undefined): string | null {
  if (!s || s.state === 'off') return null;
  switch (s.state) {
    case 'waiting':
      return 'Waiting: nothing is being recorded.';
    case 'starting':
      return `Starting on ${s.file ?? 'the database'}…`;
    case 'shipping':
      return `Shipping to ${s.target} as recorder ${s.recorderId}: ${int.format(s.shippedRows)} rows shipped${behind(s)}.${s.detail ? ` ${s.detail}.` : ''}`;
    case 'failing':
      return `Failing: ${s.detail ?? 'unknown reason'}. Retrying; recording goes on${behind(s)}.`;
    case 'stopped':
      return `Stopped: ${s.detail ?? 'unknown reason'}.`;
  }
}

/** A few words for the status bar; null when the sink is off. */
export function sinkShort(s: SinkStatus | undefined): string | null {
  if (!s || s.state === 'off') return null;
  const lag = s.behindRows ? ` (${int.format(s.behindRows)} behind)` : '';
  switch (s.state) {
    case 'waiting':
      return 'PostgreSQL: idle';
    case 'starting':
      return 'PostgreSQL: starting';
    case 'shipping':
      return `PostgreSQL: shipping${lag}`;
    case 'failing':
      return `PostgreSQL: failing, retrying${lag}`;
    case 'stopped':
      return 'PostgreSQL: stopped';
  }
}
