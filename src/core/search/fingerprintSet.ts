/**
 * The visited-state store of the sequential strategies: 64-bit fingerprints in one open-addressing
 * table (linear probing over a flat Int32Array of pairs), with an optional byte of payload per slot
 * (the sleep set of partial-order reduction, the preemption count of bounded search).
 *
 * Memory: 8 bytes per slot (9 with payload). The table grows by 1.5x when it is 3/4 full, so it is
 * between 1/2 and 3/4 full after the first growth: 10.7 to 16 bytes per stored fingerprint (12 to 18
 * with payload), plus at most 0.2 bytes a slot for the optional cache of recent fingerprints. A
 * fingerprint's home slot is `h1 * capacity / 2^32` (a multiply, not a division), so the capacity need
 * not be a power of two.
 */
import { unlessOutOfMemory } from './allocationFailure';
import { RecentFingerprints } from './recentFingerprints';

const MAX_LOAD = 0.75;
const GROWTH = 1.5;

/**
 * The optional cache of recently seen fingerprints (`RecentFingerprints`): a power of two entries, at
 * most 1/64 of the table's slots (so at most 0.2 bytes a slot) and at most MAX_RECENT (192 KiB).
 */
const MAX_RECENT = 1 << 14;
const recentEntriesFor = (capacity: number): number => Math.min(MAX_RECENT, 2 ** Math.max(4, Math.floor(Math.log2(capacity / 64))));

/** `add` result when growing would exceed the memory budget. */
export const STORE_FULL = -0x80000000;

export class FingerprintSet {
  private table: Int32Array;
  payload: Uint8Array | undefined;
  private capacity: number;
  /** capacity / 2^32: home slot = unsigned h1 times this, truncated. */
  private scale: number;
  private growAt: number;
  size = 0;
  /** Recently added or found fingerprints and their slots: see `recentEntriesFor`. */
  private readonly recent: RecentFingerprints | undefined;

  constructor(initialCapacity: number, withPayload: boolean, private readonly maxBytes = Infinity, remembersRecent = false) {
    this.capacity = Math.max(16, initialCapacity);
    if (remembersRecent) this.recent = new RecentFingerprints(recentEntriesFor(this.capacity));
    this.table = new Int32Array(this.capacity * 2);
    this.payload = withPayload ? new Uint8Array(this.capacity) : undefined;
    this.scale = this.capacity / 4294967296;
    this.growAt = Math.floor(this.capacity * MAX_LOAD);
  }

  get bytes(): number {
    return this.table.byteLength + (this.payload ? this.payload.byteLength : 0) + (this.recent ? this.recent.bytes : 0);
  }

  /**
   * Inserts a fingerprint: returns its new slot (>= 0), `-(slot + 1)` when it was already there, or
   * STORE_FULL when the table must grow and growing would exceed the memory budget or the memory the
   * process can get.
   */
  add(h1: number, h2: number): number {
    const recent = this.recent;
    if (recent) {
      const known = recent.slotOf(h1, h2);
      if (known >= 0) return -(known + 1);
    }
    if (this.size >= this.growAt && !this.grow()) return STORE_FULL;
    const table = this.table;
    const capacity = this.capacity;
    let slot = ((h1 >>> 0) * this.scale) | 0;
    let added = -1;
    for (;;) {
      const at = slot << 1;
      const stored = table[at];
      if (stored === 0) {
        table[at] = h1;
        table[at + 1] = h2;
        this.size++;
        added = slot;
        break;
      }
      if (stored === h1 && table[at + 1] === h2) break;
      if (++slot === capacity) slot = 0;
    }
    if (recent) recent.remember(h1, h2, slot);
    return added >= 0 ? added : -(slot + 1);
  }

  /** The slot of a stored fingerprint, or -1. */
  find(h1: number, h2: number): number {
    const table = this.table;
    const capacity = this.capacity;
    let slot = ((h1 >>> 0) * this.scale) | 0;
    for (;;) {
      const at = slot << 1;
      const stored = table[at];
      if (stored === 0) return -1;
      if (stored === h1 && table[at + 1] === h2) return slot;
      if (++slot === capacity) slot = 0;
    }
  }

  private grow(): boolean {
    const capacity = Math.ceil(this.capacity * GROWTH);
    const bytesAfter = capacity * (8 + (this.payload ? 1 : 0)) + (this.recent ? 12 * recentEntriesFor(capacity) : 0);
    if (bytesAfter > this.maxBytes) return false;
    const oldTable = this.table;
    const oldPayload = this.payload;
    // No room on the machine for the larger table: the search stops at its memory bound, as with a budget.
    const table = unlessOutOfMemory(() => new Int32Array(capacity * 2));
    const payload = oldPayload ? unlessOutOfMemory(() => new Uint8Array(capacity)) : undefined;
    if (!table || (oldPayload && !payload)) return false;
    this.table = table;
    this.payload = payload;
    this.capacity = capacity;
    this.scale = capacity / 4294967296;
    this.growAt = Math.floor(capacity * MAX_LOAD);
    // The remembered slots are the old table's.
    this.recent?.reset(recentEntriesFor(capacity));
    for (let old = 0; old < oldTable.length; old += 2) {
      const h1 = oldTable[old];
      if (h1 === 0) continue;
      let slot = ((h1 >>> 0) * this.scale) | 0;
      while (this.table[slot << 1] !== 0) if (++slot === capacity) slot = 0;
      this.table[slot << 1] = h1;
      this.table[(slot << 1) + 1] = oldTable[old + 1];
      if (oldPayload) this.payload![slot] = oldPayload[old >> 1];
    }
    return true;
  }
}
