/**
 * The errors a command reports to the user: one clear message (and, for a malformed file, its positioned
 * errors) on stderr and exit code 2. Anything else that escapes a command is a bug in swaprace. Warnings
 * go to stderr too and change no exit code.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Lines printed after the message, e.g. `file:line:col: field: message` for each problem in a file. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/** An option that changes nothing: said on stderr, so that stdout (and --json on it) stays the result alone. */
export function warn(message: string): void {
  console.error(`swaprace: warning: ${message}`);
}
