/** Text for a terminal: what comes from files someone else wrote must not reach it as control sequences. */
import { escapeControlCharacters } from '../core/controlCharacters';

/** Shows control, line-separator and bidi characters as `\uXXXX`: they could move the cursor, recolour the terminal or break a line. */
export const printable = escapeControlCharacters;

/**
 * `12345` -> `12,345`, fixed to English so that output does not change with the locale. Whole numbers
 * are grouped here: the first toLocaleString of a process loads ICU, tens of milliseconds of a cold run.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(n);
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return grouped;
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

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
