/**
 * The IPC choke point's decision, as a pure function: a call is served only when it comes from a
 * window we created, from a frame on our own origin, names a command of the contract, and carries
 * a valid argument.
 */
import type { CommandArg, CommandName } from '../../shared/api.js';
import { isCommandName, validateArg } from '../node/host/validate-args.js';
import { isAppUrl } from './navigation-policy.js';

export type InvokeDecision = { ok: true; name: CommandName; arg: CommandArg<CommandName> } | { ok: false; error: string };

export function decideInvoke(call: { senderIsOurWindow: boolean; frameUrl: string | null; name: unknown; arg: unknown }): InvokeDecision {
  if (!call.senderIsOurWindow) return { ok: false, error: 'refused: not a Tapedeck window' };
  if (!call.frameUrl || !isAppUrl(call.frameUrl)) return { ok: false, error: 'refused: not the Tapedeck page' };
  if (!isCommandName(call.name)) return { ok: false, error: `refused: unknown command ${String(call.name).slice(0, 40)}` };
  try {
    return { ok: true, name: call.name, arg: validateArg(call.name, call.arg) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
