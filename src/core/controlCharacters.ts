/**
 * Characters that must not reach a reader raw from a file someone else wrote: C0 and C1 controls (a terminal
 * takes ESC and CSI as commands that move its cursor or recolour it), the Unicode line and paragraph
 * separators (a line break to some readers and not to others) and the bidirectional formatting characters
 * (they reorder what a reader sees, as in "Trojan Source").
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Shows each of them as `\uXXXX`: visible, inert, and in JSON the same character escaped. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
