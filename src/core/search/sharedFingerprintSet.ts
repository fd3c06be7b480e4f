/**
 * The visited-state store the parallel workers share: the same open-addressing layout as
 * `FingerprintSet`, in a SharedArrayBuffer. A slot is claimed by compare-and-swap on its first word,
 * then the second word is published; a reader that finds the first word but not yet the second waits
 * for it. Whoever claims a fingerprint expands that state, so every state is expanded exactly once.
 *
 * A shared table cannot grow under its readers' feet: when it is 3/4 full, `add` answers
 * STORE_NEEDS_GROWTH and the workers pause while the coordinator copies it into one 1.5 times larger
 * (`grownCopy`; see `parallel.ts`). So it stays between 1/2 and 3/4 full, 10.7 to 16 bytes a state.
 *
 * The stored count is kept in a shared counter, flushed every FLUSH_EVERY insertions so the workers do
 * not fight over one cache line; `size` is approximate by at most that much per worker.
 */
const GROW_AT = 0.75;
const GROWTH = 1.5;
const FLUSH_EVERY = 64;
const COUNT = 0;

/** `add` result when the table must grow before it takes more fingerprints. */
export const STORE_NEEDS_GROWTH = -0x7fffffff;

export interface SharedStoreBuffers {
  table: SharedArrayBuffer;
  counter: SharedArrayBuffer;
}

export class SharedFingerprintSet {
  private readonly table: Int32Array;
  private readonly counter: Int32Array;
  private readonly capacity: number;
  private readonly scale: number;
  private readonly growAt: number;
  private pending = 0;

  constructor(readonly buffers: SharedStoreBuffers) {
    this.table = new Int32Array(buffers.table);
    this.counter = new Int32Array(buffers.counter);
    this.capacity = this.table.length / 2;
    this.scale = this.capacity / 4294967296;
    this.growAt = Math.floor(this.capacity * GROW_AT);
  }

  static allocate(capacity: number): SharedFingerprintSet {
    return new SharedFingerprintSet({ table: new SharedArrayBuffer(capacity * 8), counter: new SharedArrayBuffer(64) });
  }

  get size(): number {
    return Atomics.load(this.counter, COUNT) + this.pending;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  /** Bytes of the table `grownCopy` would make. */
  get grownBytes(): number {
    return Math.ceil(this.capacity * GROWTH) * 8;
  }

  /** New slot, `-(slot + 1)` when already present, or STORE_NEEDS_GROWTH. */
  add(h1: number, h2: number): number {
    if (this.pending === 0 && Atomics.load(this.counter, COUNT) >= this.growAt) return STORE_NEEDS_GROWTH;
    const table = this.table;
    const capacity = this.capacity;
    let slot = ((h1 >>> 0) * this.scale) | 0;
    for (;;) {
      const at = slot << 1;
      let stored = table[at];
      if (stored === 0) {
        stored = Atomics.compareExchange(table, at, 0, h1);
        if (stored === 0) {
          Atomics.store(table, at + 1, h2);
          if (++this.pending === FLUSH_EVERY) this.flush();
          return slot;
        }
      }
      if (stored === h1) {
        let second = table[at + 1];
        while (second === 0) second = Atomics.load(table, at + 1);
        if (second === h2) return -(slot + 1);
      }
      if (++slot === capacity) slot = 0;
    }
  }

  /** Publishes this worker's pending count (before pausing, and when done). */
  flush(): void {
    if (this.pending === 0) return;
    Atomics.add(this.counter, COUNT, this.pending);
    this.pending = 0;
  }

  /** A 1.5 times larger table with the same fingerprints (every writer must be paused). */
  grownCopy(): SharedFingerprintSet {
    const grown = SharedFingerprintSet.allocate(Math.ceil(this.capacity * GROWTH));
    const table = grown.table;
    for (let at = 0; at < this.table.length; at += 2) {
      const h1 = this.table[at];
      if (h1 === 0) continue;
      let slot = ((h1 >>> 0) * grown.scale) | 0;
      while (table[slot << 1] !== 0) if (++slot === grown.capacity) slot = 0;
      table[slot << 1] = h1;
      table[(slot << 1) + 1] = this.table[at + 1];
    }
    grown.counter[COUNT] = Atomics.load(this.counter, COUNT);
    return grown;
  }

  /** The fingerprint stored in a slot. */
  at(slot: number): [number, number] {
    return [this.table[slot << 1], this.table[(slot << 1) + 1]];
  }
}
