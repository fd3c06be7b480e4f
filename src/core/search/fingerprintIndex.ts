/**
 * A small map from 64-bit fingerprints to non-negative integers, with deletion (linear probing and
 * backward-shift deletion, so no tombstones). The depth-first search keeps its Tarjan stack in one
 * (entries come and go as strongly connected components close); the parallel frontier and
 * minimisation map states to their depth or position in a layer.
 */
export class FingerprintIndex {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity * 2) c *= 2;
    this.keys = new Int32Array(c * 2);
    this.values = new Int32Array(c);
    this.mask = c - 1;
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  get(h1: number, h2: number): number {
    const keys = this.keys;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i << 1];
      if (k === 0) return -1;
      if (k === h1 && keys[(i << 1) + 1] === h2) return this.values[i];
    }
  }

  set(h1: number, h2: number, value: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    const keys = this.keys;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i << 1];
      if (k === 0) {
        keys[i << 1] = h1;
        keys[(i << 1) + 1] = h2;
        this.values[i] = value;
        this.size++;
        return;
      }
      if (k === h1 && keys[(i << 1) + 1] === h2) {
        this.values[i] = value;
        return;
      }
    }
  }

  delete(h1: number, h2: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let i = h1 & mask;
    for (; ; i = (i + 1) & mask) {
      const k = keys[i << 1];
      if (k === 0) return;
      if (k === h1 && keys[(i << 1) + 1] === h2) break;
    }
    // Backward shift: pull later entries of the same probe run into the hole.
    let hole = i;
    for (let j = (i + 1) & mask; keys[j << 1] !== 0; j = (j + 1) & mask) {
      const home = keys[j << 1] & mask;
      const distanceFromHome = (j - home) & mask;
      const distanceFromHole = (j - hole) & mask;
      if (distanceFromHome >= distanceFromHole) {
        keys[hole << 1] = keys[j << 1];
        keys[(hole << 1) + 1] = keys[(j << 1) + 1];
        this.values[hole] = this.values[j];
        hole = j;
      }
    }
    keys[hole << 1] = 0;
    keys[(hole << 1) + 1] = 0;
    this.size--;
  }

  private rehash(capacity: number): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Int32Array(capacity * 2);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < oldValues.length; i++) {
      if (oldKeys[i << 1] !== 0) this.set(oldKeys[i << 1], oldKeys[(i << 1) + 1], oldValues[i]);
    }
  }
}
