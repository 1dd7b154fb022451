/** The one API handle of the renderer, set at start-up by main.tsx. */
import type { CommandArg, CommandName, CommandResult, TapedeckApi } from '../../../shared/api.js';
import { pushMessage } from '../store/app.js';

let api: TapedeckApi | null = null;

export function setApi(a: TapedeckApi): void {
  api = a;
}

export function invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>> {
  if (!api) return Promise.reject(new Error('not connected'));
  return api.invoke(name, arg);
}

/** Invokes and turns a failure into a readable message instead of an unhandled rejection. */
export async function attempt<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K> | null> {
  try {
    return await invoke(name, arg);
  } catch (err) {
    pushMessage({ level: 'error', text: (err as Error).message, at: Date.now() });
    return null;
  }
}
