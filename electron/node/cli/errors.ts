/** A mistake the user can fix (bad flag, bad symbol, unreachable endpoint): one line, no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Turns any error into the one line the CLI prints; internal errors keep a stack only with TAPEDECK_DEBUG. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (process.env.TAPEDECK_DEBUG && !(err instanceof UserError)) return err.stack ?? err.message;
    return err.message;
  }
  return String(err);
}
