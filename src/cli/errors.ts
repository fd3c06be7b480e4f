/**
 * The errors a command reports to the user: one clear message (and, for a malformed file, its positioned
 * errors) on stderr and exit code 2. Anything else that escapes a command is a bug in swaprace.
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
