/**
 * The IPC choke point's decision, as a pure function: a call is served only when it comes from a
 * window we created, from a frame on our own origin, names a command of the contract, and carries
 * a valid argument.
 */
import { parseCall, type CommandArg, type CommandName } from '../../shared/api.js';
import { isAppUrl } from './navigation-policy.js';

export type InvokeDecision = { ok: true; name: CommandName; arg: CommandArg<CommandName> } | { ok: false; error: string };

export function decideInvoke(call: { senderIsOurWindow: boolean; frameUrl: string | null; name: unknown; arg: unknown }): InvokeDecision {
  if (!call.senderIsOurWindow) return { ok: false, error: 'refused: not a Tapedeck window' };
  if (!call.frameUrl || !isAppUrl(call.frameUrl)) return { ok: false, error: 'refused: not the Tapedeck page' };
  const parsed = parseCall(call.name, call.arg);
  return parsed.ok ? parsed : { ok: false, error: `refused: ${parsed.error}` };
}
