/**
 * 64-bit state fingerprints for the visited-state stores, hashed a 32-bit word at a time (the search
 * keeps states in zero-padded, word-aligned frames; see `StateFrames`). Two murmur3-style lanes with
 * different constants give the two halves. Neither half is ever 0: the stores use 0 for "empty".
 *
 * Storing fingerprints instead of states is hash compaction: two distinct states with the same 64
 * bits would be taken for one. With n stored states the chance of any such collision is about
 * n^2 / 2^65 (below 1e-6 for 5 million states).
 */

/** Words of a state of `bytes` bytes once padded to a whole number of words. */
export const wordsFor = (bytes: number): number => (bytes + 3) >>> 2;

/**
 * The fingerprint of a state together with the thread that ran last (-1: none), for the preemption-
 * bounded search, whose nodes are (state, last thread) pairs: `fingerprintWords`, then both halves
 * mixed with the thread, never 0.
 */
export function fingerprintWithLast(words: Int32Array, offset: number, count: number, last: number, out: Int32Array): void {
  fingerprintWords(words, offset, count, out);
  out[0] = (out[0] ^ Math.imul(last + 2, 0x9e3779b1)) || 1;
  out[1] = (out[1] ^ Math.imul(last + 2, 0x85ebca77)) || 1;
}

/** Writes the fingerprint of `count` words of `words` from `offset` into out[0] (low) and out[1] (high). */
export function fingerprintWords(words: Int32Array, offset: number, count: number, out: Int32Array): void {
  let h1 = 0x3c6ef372;
  let h2 = 0x1b873593 ^ count;
  for (let i = offset, end = offset + count; i < end; i++) {
    const w = words[i];
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h1 ^= Math.imul(k, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(w ^ 0x5bd1e995, 0x85ebca6b);
    j = (j << 17) | (j >>> 15);
    h2 ^= Math.imul(j, 0xc2b2ae35);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x27d4eb2f) | 0;
  }
  h1 ^= h2;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h1;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0x2c1b3c6d);
  h2 ^= h2 >>> 12;
  h2 = Math.imul(h2, 0x297a2d39);
  h2 ^= h2 >>> 15;
  out[0] = h1 === 0 ? 1 : h1;
  out[1] = h2 === 0 ? 1 : h2;
}
