/** Numbers as reports print them, the same whatever the locale: the CLI's output and the editor's reports. */

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
