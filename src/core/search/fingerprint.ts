/**
 * 64-bit state fingerprints for the visited-state stores, over 32-bit words (the searches keep states
 * zero-padded to whole words: `StateFrames`, and the depth-first search's one state).
 *
 * A fingerprint is a sum over the words, one pseudo-random value per (position, word) and per half
 * (Zobrist hashing with a mixing function instead of a table), finished by a final mix of the two
 * sums. A sum can be updated when a step changes a few words: add the new words' values, take away
 * the old ones. The depth-first search steps states in place and does exactly that, so a transition
 * costs a few words' hashing instead of the whole state's. Neither half is ever 0: the stores use 0
 * for "empty".
 *
 * Storing fingerprints instead of states is hash compaction: two distinct states with the same 64
 * bits would be taken for one. With n stored states the chance of any such collision is about
 * n^2 / 2^65 (below 1e-6 for 5 million states).
 */

/** Words of a state of `bytes` bytes once padded to a whole number of words. */
export const wordsFor = (bytes: number): number => (bytes + 3) >>> 2;

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** Per-position keys of each half, grown on demand (states are tens of words). */
let lowKeys = new Int32Array(0);
let highKeys = new Int32Array(0);

function keysFor(words: number): void {
  if (words <= lowKeys.length) return;
  const n = Math.max(words, 2 * lowKeys.length, 64);
  lowKeys = new Int32Array(n);
  highKeys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    lowKeys[i] = mix32(Math.imul(i + 1, 0x9e3779b1));
    highKeys[i] = mix32(Math.imul(i + 1, 0x7feb352d) ^ 0x68e31da4);
  }
}

/** Word `w` at position `i`'s share of the low sum. */
function lowShare(i: number, w: number): number {
  return mix32(w ^ lowKeys[i]);
}

/** Word `w` at position `i`'s share of the high sum (another mix, so the halves are independent). */
function highShare(i: number, w: number): number {
  let x = (w + highKeys[i]) | 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39);
  return x ^ (x >>> 15);
}

/**
 * The two sums of `count` words of `words` from `offset` into out[0] (low) and out[1] (high); a
 * word's position counts from `offset`. `finishFingerprint` turns them into the fingerprint.
 */
export function fingerprintSums(words: Int32Array, offset: number, count: number, out: Int32Array): void {
  keysFor(count);
  let low = 0;
  let high = 0;
  for (let i = 0; i < count; i++) {
    const w = words[offset + i];
    low = (low + lowShare(i, w)) | 0;
    high = (high + highShare(i, w)) | 0;
  }
  out[0] = low;
  out[1] = high;
}

/** Makes sure `updateSums` has keys for states of `count` words. */
export function prepareShares(count: number): void {
  keysFor(count);
}

/**
 * Updates the sums in out[0] and out[1] for words that changed: entry i of `positions` and `before`,
 * for i in [from, to), names a word of `words` and its old value (an undo log's entries).
 */
export function updateSums(words: Int32Array, positions: Int32Array, before: Int32Array, from: number, to: number, out: Int32Array): void {
  let low = out[0];
  let high = out[1];
  for (let i = from; i < to; i++) {
    const at = positions[i];
    const was = before[i];
    const now = words[at];
    if (now === was) continue;
    low = (low + lowShare(at, now) - lowShare(at, was)) | 0;
    high = (high + highShare(at, now) - highShare(at, was)) | 0;
  }
  out[0] = low;
  out[1] = high;
}

/** The fingerprint of the sums `low` and `high`, into out[0] and out[1]. */
export function finishFingerprint(low: number, high: number, out: Int32Array): void {
  let h1 = low ^ mix32(high);
  h1 = mix32(h1);
  let h2 = high ^ h1;
  h2 = mix32((h2 + 0x27d4eb2f) | 0);
  out[0] = h1 === 0 ? 1 : h1;
  out[1] = h2 === 0 ? 1 : h2;
}

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
  fingerprintSums(words, offset, count, out);
  finishFingerprint(out[0], out[1], out);
}
