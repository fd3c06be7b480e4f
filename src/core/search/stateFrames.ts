/**
 * A growable array of states in one buffer, each in a word-aligned, zero-padded frame: successors are
 * built by copying a frame into the next one and stepping it in place (no allocation per transition),
 * and fingerprints hash whole words. Used as the preemption-bounded search's stack and as breadth-first levels.
 */
import { wordsFor } from './fingerprint';

export class StateFrames {
  readonly words: number;
  readonly stride: number;
  bytes: Uint8Array;
  ints: Int32Array;
  private views: Uint8Array[] = [];

  constructor(readonly stateSize: number, frames: number) {
    this.words = wordsFor(stateSize);
    this.stride = this.words * 4;
    this.bytes = new Uint8Array(Math.max(1, frames) * this.stride);
    this.ints = new Int32Array(this.bytes.buffer);
  }

  get capacity(): number {
    return this.bytes.length / this.stride;
  }

  /** Makes room for frame `index` (at least doubling), which invalidates earlier views. */
  ensure(index: number): void {
    if (index < this.capacity) return;
    const grown = new Uint8Array(Math.max(index + 1, this.capacity * 2) * this.stride);
    grown.set(this.bytes);
    this.bytes = grown;
    this.ints = new Int32Array(grown.buffer);
    this.views = [];
  }

  /** The state in frame `index` (exactly `stateSize` bytes, a view into the buffer). */
  view(index: number): Uint8Array {
    let v = this.views[index];
    if (v === undefined) {
      v = this.bytes.subarray(index * this.stride, index * this.stride + this.stateSize);
      this.views[index] = v;
    }
    return v;
  }

  copy(from: number, to: number): void {
    this.bytes.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
  }

  /** `copy` for the hot path: a word loop beats copyWithin's call overhead on states this small. */
  copyWords(from: number, to: number): void {
    const ints = this.ints;
    const words = this.words;
    for (let i = 0, a = from * words, b = to * words; i < words; i++) ints[b + i] = ints[a + i];
  }

  /** Copies frame `from` of another array of the same state size into frame `to`. */
  copyFrom(other: StateFrames, from: number, to: number): void {
    const src = other.ints;
    const dst = this.ints;
    const words = this.words;
    for (let i = 0, a = from * words, b = to * words; i < words; i++) dst[b + i] = src[a + i];
  }

  write(index: number, state: Uint8Array): void {
    this.bytes.set(state, index * this.stride);
  }

  /** First word of frame `index` in `ints`. */
  wordOffset(index: number): number {
    return index * this.words;
  }
}
