/**
 * Client → server request frames. Each dialect stamps its own identity keys on every request
 * (docs/protocol/schwab.md §3.2: SchwabClientCustomerId/CorrelId; docs/protocol/tdameritrade.md §3.2: account/source).
 */
import type { Dialect } from '../../../shared/protocol/services.js';

export type CommandName = 'LOGIN' | 'LOGOUT' | 'QOS' | 'SUBS' | 'ADD' | 'UNSUBS' | 'VIEW';

export interface StreamCommand {
  service: string;
  command: CommandName;
  parameters: Record<string, string>;
}

export function encodeRequest(
  dialect: Dialect,
  requestId: string,
  cmd: StreamCommand,
  ids: Record<string, string>,
): string {
  // Key order as the reference clients send it; the server does not depend on it.
  const request =
    dialect === 'schwab'
      ? { requestid: requestId, service: cmd.service, command: cmd.command, ...ids, parameters: cmd.parameters }
      : { service: cmd.service, requestid: requestId, command: cmd.command, ...ids, parameters: cmd.parameters };
  return JSON.stringify({ requests: [request] });
}

/** Field lists go out sorted ascending and always include 0 (docs/protocol/tdameritrade.md §3.2, docs/protocol/schwab.md §3.6). */
export function fieldList(ids: Iterable<number>): string {
  return [...new Set([0, ...ids])].sort((a, b) => a - b).join(',');
}
