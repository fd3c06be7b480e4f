/**
 * A cache of recently seen fingerprints and their slots in a visited-state table: (h1, h2, slot), 12
 * bytes an entry, direct-mapped by h2. A depth-first search meets most of its known states again soon
 * after storing them (the other side of a diamond), so most lookups end here, in a table that stays in
 * the CPU cache, instead of in a random line of the big one. Fingerprint halves are never 0, so an
 * empty entry matches nothing. The slots are the table's: a table that moves its entries (grows)
 * clears the cache.
 */
export class RecentFingerprints {
  private entries: Int32Array;
  private mask: number;

  constructor(count: number) {
    this.entries = new Int32Array(3 * count);
    this.mask = count - 1;
  }

  get bytes(): number {
    return this.entries.byteLength;
  }

  /** Entries, a power of two. */
  get count(): number {
    return this.mask + 1;
  }

  /** The slot remembered for the fingerprint, or -1. */
  slotOf(h1: number, h2: number): number {
    const at = (h2 & this.mask) * 3;
    const entries = this.entries;
    return entries[at] === h1 && entries[at + 1] === h2 ? entries[at + 2] : -1;
  }

  remember(h1: number, h2: number, slot: number): void {
    const at = (h2 & this.mask) * 3;
    const entries = this.entries;
    entries[at] = h1;
    entries[at + 1] = h2;
    entries[at + 2] = slot;
  }

  /** Forgets everything and takes `count` entries (a power of two). */
  reset(count: number): void {
    if (count === this.count) this.entries.fill(0);
    else this.entries = new Int32Array(3 * count);
    this.mask = count - 1;
  }
}
