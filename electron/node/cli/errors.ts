/**
 * The command line's one error style (README "Command line"): one line on stderr,
 * `tapedeck <command>: <what>`, and an exit code that says which kind of mistake it was.
 *
 * - UsageError: the command line itself is wrong (unknown flag, missing or bad value, negative
 *   number): exit 2, and the line ends with "(see 'tapedeck <command> --help')".
 * - UserError: something outside the command line the user can fix (a folder that is a file, an
 *   unreachable host, a missing token file, a refused login): exit 1.
 * - Anything else is an internal error: exit 1, its message on one line (the stack trace with
 *   TAPEDECK_DEBUG=1).
 *
 * Messages never repeat the command name: the one place that prints them adds it.
 */
export class UserError extends Error {
  readonly exitCode: number = 1;
}

export class UsageError extends UserError {
  override readonly exitCode: number = 2;
}

export function exitCodeOf(err: unknown): number {
  return err instanceof UserError ? err.exitCode : 1;
}

/** The one line printed for `err` under `command` (null before a command is known). */
export function formatError(command: string | null, err: unknown): string {
  const prefix = command ? `tapedeck ${command}` : 'tapedeck';
  if (err instanceof Error && !(err instanceof UserError) && process.env.TAPEDECK_DEBUG) return `${prefix}: ${err.stack ?? err.message}`;
  const message = oneLine(err instanceof Error ? err.message : String(err));
  if (err instanceof UsageError) return `${prefix}: ${message} (see '${prefix} --help')`;
  return `${prefix}: ${message}`;
}

/** Folds a message that spans lines (a server's text, a library's hint) into one. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
