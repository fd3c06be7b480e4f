/** Text for a terminal: what comes from files someone else wrote must not reach it as control sequences. */
import { escapeControlCharacters } from '../core/controlCharacters';

export { count, seconds } from '../core/numberText';

/** Shows control, line-separator and bidi characters as `\uXXXX`: they could move the cursor, recolour the terminal or break a line. */
export const printable = escapeControlCharacters;

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length)))
      .join('  ')
      .trimEnd(),
  );
}

/** An argument as a POSIX shell reads it back, for commands we suggest the user paste. */
export function shellQuote(argument: string): string {
  return /^[\w./:@%+=,~-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}
