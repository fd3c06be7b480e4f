/**
 * Lines and columns in text, counted as editors count them. The scenario and trace parsers report errors at
 * line and column, and the extension turns those back into editor ranges: one index, so that every side
 * agrees on what ends a line.
 */

/** A place in text: 1-based line and column, the column in UTF-16 code units. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Offsets <-> positions over one text; `\r\n`, `\n` and `\r` end a line, as in VS Code. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (c === 13 || c === 10) this.lineStarts.push(i + 1);
    }
  }

  /** The position of `offset`, clamped into the text. */
  position(offset: number): TextPosition {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - this.lineStarts[low] + 1 };
  }

  /** The offset of `at`: a line outside the text clamps to the first or last, a column to its line and line break. */
  offset(at: TextPosition): number {
    const line = Math.min(Math.max(0, at.line - 1), this.lineStarts.length - 1);
    const lineEnd = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    return Math.min(this.lineStarts[line] + Math.max(0, at.column - 1), lineEnd);
  }
}
