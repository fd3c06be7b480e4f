/**
 * A stack of 64-bit fingerprints that can say where on it a fingerprint is: the depth-first search's
 * Tarjan stack, which it asks about every edge to a known state. Entries leave in the order they came
 * (last in, first out), so each is the newest of its hash chain when it leaves: chaining with one head
 * per bucket needs no search to delete, and a push or a pop touches only its entry and its bucket's head.
 */
import { grown } from './parentTable';

/** Entries per bucket at most, on average, before the head table doubles. */
const MAX_CHAIN = 2;

export class FingerprintStack {
  private h1s = new Int32Array(256);
  private h2s = new Int32Array(256);
  /** Per entry: the entry below it in its bucket's chain, or -1. */
  private below = new Int32Array(256);
  /** Per bucket: its newest entry, or -1. */
  private heads = new Int32Array(1024).fill(-1);
  private mask = 1023;
  size = 0;

  get bytes(): number {
    return this.h1s.byteLength + this.h2s.byteLength + this.below.byteLength + this.heads.byteLength;
  }

  /** Pushes a fingerprint; returns its position. */
  push(h1: number, h2: number): number {
    const i = this.size++;
    if (i === this.h1s.length) {
      this.h1s = grown(this.h1s, 2 * i);
      this.h2s = grown(this.h2s, 2 * i);
      this.below = grown(this.below, 2 * i);
    }
    if (this.size > MAX_CHAIN * this.heads.length) this.rehash(2 * this.heads.length);
    this.h1s[i] = h1;
    this.h2s[i] = h2;
    const bucket = h1 & this.mask;
    this.below[i] = this.heads[bucket];
    this.heads[bucket] = i;
    return i;
  }

  /** The position of a fingerprint on the stack (the highest, were it there twice), or -1. */
  indexOf(h1: number, h2: number): number {
    for (let i = this.heads[h1 & this.mask]; i >= 0; i = this.below[i]) {
      if (this.h1s[i] === h1 && this.h2s[i] === h2) return i;
    }
    return -1;
  }

  /** Pops every entry from position `size` up. */
  popTo(size: number): void {
    for (let i = this.size - 1; i >= size; i--) this.heads[this.h1s[i] & this.mask] = this.below[i];
    this.size = size;
  }

  h1At(i: number): number {
    return this.h1s[i];
  }

  h2At(i: number): number {
    return this.h2s[i];
  }

  private rehash(buckets: number): void {
    this.heads = new Int32Array(buckets).fill(-1);
    this.mask = buckets - 1;
    // Oldest first, so that every chain runs from newest to oldest again.
    for (let i = 0; i < this.size - 1; i++) {
      const bucket = this.h1s[i] & this.mask;
      this.below[i] = this.heads[bucket];
      this.heads[bucket] = i;
    }
  }
}
