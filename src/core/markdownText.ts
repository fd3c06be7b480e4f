/**
 * Markdown that renders as the text it was made from, for the reports people paste into bug reports, mails and
 * reviews. Names in them may come from a scenario someone else wrote, so nothing in a name becomes markup.
 */
import { escapeControlCharacters } from './controlCharacters';

/** Text in Markdown that renders as itself: no emphasis, links, HTML or table breaks. */
export function markdownText(text: string): string {
  // A backslash makes any ASCII punctuation literal in CommonMark, and reads better in the raw text than entities.
  // Control characters last, so that the backslash of their `\u001b` is not escaped in turn.
  return escapeControlCharacters(text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>&|~#!]/g, '\\$&'));
}

/** A code span for tokens we can show verbatim; anything else falls back to escaped text. */
export function markdownCode(text: string): string {
  return /^[\w.\-:/~ ]+$/.test(text) ? `\`${text}\`` : markdownText(text);
}

/**
 * A table of cells already in Markdown, its columns padded to one width: it renders as a table and reads as one
 * in plain text too (a mail, a review comment). A column with nothing in it, header included, is left out.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const columns = header.map((_, i) => i).filter((i) => header[i] || rows.some((row) => row[i]));
  const [head, ...body] = [header, ...rows].map((row) => columns.map((i) => row[i] ?? ''));
  const length = (cell: string) => [...cell].length;
  const widths = columns.map((_, c) => Math.max(3, length(head[c]), ...body.map((cells) => length(cells[c]))));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell + ' '.repeat(widths[c] - length(cell))).join(' | ')} |`;
  return [line(head), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)];
}
