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

