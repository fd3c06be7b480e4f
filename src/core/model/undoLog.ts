/**
 * A record of the words of a state that steps overwrote, with their old values, so that a search can
 * step a state in place and take the step back (instead of copying the state for every successor),
 * and so that it knows which words to rehash.
 *
 * A mark (`begin`) opens a step; each word is logged once per step, before its first write
 * (`touch`); `rollback(mark)` restores every word logged since the mark, newest first.
 */
export class UndoLog {
  /** The state's words (the same buffer as the state's bytes). */
  readonly words: Int32Array;
  /** Per logged entry: the word's position and its value before the step. */
  positions: Int32Array;
  oldValues: Int32Array;
  length = 0;
  /** Per word: the step it was last logged in, so a word is logged once per step. */
  private readonly loggedIn: Int32Array;
  private step = 0;

  constructor(words: Int32Array) {
    this.words = words;
    this.loggedIn = new Int32Array(words.length);
    this.positions = new Int32Array(1024);
    this.oldValues = new Int32Array(1024);
  }

  get bytes(): number {
    return this.positions.byteLength + this.oldValues.byteLength + this.loggedIn.byteLength;
  }

  /** Opens a step; returns the mark to roll back to. */
  begin(): number {
    this.step++;
    if (this.step === 0x7fffffff) {
      this.loggedIn.fill(0);
      this.step = 1;
    }
    return this.length;
  }

  /** Called before byte `offset` of the state is written. */
  touch(offset: number): void {
    const w = offset >> 2;
    if (this.loggedIn[w] === this.step) return;
    this.loggedIn[w] = this.step;
    if (this.length === this.positions.length) this.grow();
    this.positions[this.length] = w;
    this.oldValues[this.length] = this.words[w];
    this.length++;
  }

  /** `touch` for every byte in [from, to): one check per word instead of per byte. */
  touchRange(from: number, to: number): void {
    for (let offset = from & ~3; offset < to; offset += 4) this.touch(offset);
  }

  /** Restores the words logged since `mark` and forgets them. */
  rollback(mark: number): void {
    const { words, positions, oldValues } = this;
    for (let i = this.length - 1; i >= mark; i--) words[positions[i]] = oldValues[i];
    this.length = mark;
  }

  private grow(): void {
    const n = this.positions.length * 2;
    const positions = new Int32Array(n);
    positions.set(this.positions);
    const oldValues = new Int32Array(n);
    oldValues.set(this.oldValues);
    this.positions = positions;
    this.oldValues = oldValues;
  }
}
