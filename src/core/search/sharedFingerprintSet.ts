/**
 * The visited-state store the parallel workers share: the same open-addressing layout as
 * `FingerprintSet`, in a SharedArrayBuffer. A slot is claimed by compare-and-swap on its first word,
 * then the second word is published; a reader that finds the first word but not yet the second waits
 * for it. Whoever claims a fingerprint expands that state, so every state is expanded exactly once.
 *
 * A shared table cannot grow under its readers' feet: when it is 3/4 full, `add` answers
 * STORE_NEEDS_GROWTH and the workers pause while the coordinator copies it into one 1.5 times larger
 * (`grownCopy`; see `parallel.ts`). So it stays between 1/2 and 3/4 full, 10.7 to 16 bytes a state
 * (16 to 24 with ids).
 *
 * The stored count is kept in a shared counter, flushed every FLUSH_EVERY insertions so the workers do
 * not fight over one cache line; `size` is approximate by at most that much per worker.
 *
 * With ids (`allocate(capacity, true)`), each slot has a third word: a state id, which the recorded
 * state graph of a parallel livelock check names states by (`stateGraph.ts`). It sits beside the
 * fingerprint, so looking it up costs no second cache miss. Each store handle takes ids in blocks of
 * ID_BLOCK from a shared counter, so ids are unique and nearly dense: a block a handle leaves unfinished
 * (at the end, or when the table grows) is a gap, which holds no state. The inserter publishes the id
 * just after the fingerprint, and a reader that finds the fingerprint first waits for it.
 */
const GROW_AT = 0.75;
const GROWTH = 1.5;
const FLUSH_EVERY = 64;
const COUNT = 0;
/** Where the next block of ids starts, on its own cache line (the counter buffer is 128 bytes). */
const NEXT_ID = 16;
const ID_BLOCK = 1024;

/** `add` result when the table must grow before it takes more fingerprints. */
export const STORE_NEEDS_GROWTH = -0x7fffffff;

export interface SharedStoreBuffers {
  table: SharedArrayBuffer;
  counter: SharedArrayBuffer;
  /** Words per slot: 2, or 3 with ids. */
  stride: number;
}

export class SharedFingerprintSet {
  private readonly table: Int32Array;
  private readonly counter: Int32Array;
  private readonly stride: number;
  private readonly capacity: number;
  private readonly scale: number;
  private readonly growAt: number;
  private pending = 0;
  /** This handle's block of ids: the next one, and the end of the block. */
  private nextId = 0;
  private idLimit = 0;

  constructor(readonly buffers: SharedStoreBuffers) {
    this.table = new Int32Array(buffers.table);
    this.counter = new Int32Array(buffers.counter);
    this.stride = buffers.stride;
    this.capacity = this.table.length / this.stride;
    this.scale = this.capacity / 4294967296;
    this.growAt = Math.floor(this.capacity * GROW_AT);
  }

  /** Bytes per slot of a table with or without ids. */
  static slotBytes(withIds: boolean): number {
    return (withIds ? 3 : 2) * 4;
  }

  static allocate(capacity: number, withIds = false): SharedFingerprintSet {
    const stride = SharedFingerprintSet.slotBytes(withIds) / 4;
    return new SharedFingerprintSet({ table: new SharedArrayBuffer(capacity * stride * 4), counter: new SharedArrayBuffer(128), stride });
  }

  /** Ids handed out so far, gaps included: every id is below this. */
  get idBound(): number {
    return Atomics.load(this.counter, NEXT_ID);
  }

  get size(): number {
    return Atomics.load(this.counter, COUNT) + this.pending;
  }

  get bytes(): number {
    return this.table.byteLength;
  }

  /** Bytes of the table `grownCopy` would make. */
  get grownBytes(): number {
    return Math.ceil(this.capacity * GROWTH) * this.stride * 4;
  }

  /** New slot, `-(slot + 1)` when already present, or STORE_NEEDS_GROWTH. */
  add(h1: number, h2: number): number {
    if (this.pending === 0 && Atomics.load(this.counter, COUNT) >= this.growAt) return STORE_NEEDS_GROWTH;
    const table = this.table;
    const capacity = this.capacity;
    const stride = this.stride;
    let slot = ((h1 >>> 0) * this.scale) | 0;
    for (;;) {
      const at = slot * stride;
      let stored = table[at];
      if (stored === 0) {
        stored = Atomics.compareExchange(table, at, 0, h1);
        if (stored === 0) {
          Atomics.store(table, at + 1, h2);
          if (stride === 3) Atomics.store(table, at + 2, this.takeId() + 1);
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

  private takeId(): number {
    if (this.nextId === this.idLimit) {
      this.nextId = Atomics.add(this.counter, NEXT_ID, ID_BLOCK);
      this.idLimit = this.nextId + ID_BLOCK;
    }
    return this.nextId++;
  }

  /** The id of the state in a slot that `add` returned (with ids). */
  idAt(slot: number): number {
    const at = slot * 3 + 2;
    let id = this.table[at];
    while (id === 0) id = Atomics.load(this.table, at);
    return id - 1;
  }

  /** The id of a stored fingerprint, or -1 (with ids; only while no worker writes). */
  idOf(h1: number, h2: number): number {
    for (let slot = ((h1 >>> 0) * this.scale) | 0; this.table[slot * 3] !== 0; ) {
      if (this.table[slot * 3] === h1 && this.table[slot * 3 + 1] === h2) return this.idAt(slot);
      if (++slot === this.capacity) slot = 0;
    }
    return -1;
  }

  /** A 1.5 times larger table with the same fingerprints and ids (every writer must be paused). */
  grownCopy(): SharedFingerprintSet {
    const stride = this.stride;
    const grown = SharedFingerprintSet.allocate(Math.ceil(this.capacity * GROWTH), stride === 3);
    const table = grown.table;
    for (let at = 0; at < this.table.length; at += stride) {
      const h1 = this.table[at];
      if (h1 === 0) continue;
      let slot = ((h1 >>> 0) * grown.scale) | 0;
      while (table[slot * stride] !== 0) if (++slot === grown.capacity) slot = 0;
      for (let w = 0; w < stride; w++) table[slot * stride + w] = this.table[at + w];
    }
    grown.counter[COUNT] = Atomics.load(this.counter, COUNT);
    grown.counter[NEXT_ID] = Atomics.load(this.counter, NEXT_ID);
    return grown;
  }

  /** The fingerprint stored in a slot. */
  at(slot: number): [number, number] {
    return [this.table[slot * this.stride], this.table[slot * this.stride + 1]];
  }
}

/**
 * A shared store that one thread fills alone, growing it as it fills: the coordinator's before its
 * workers start (they pause while it grows, `parallel.ts`); a search on one thread that records the
 * state graph (tests, the bench) as the workers would.
 */
export class GrowingSharedStore {
  constructor(public store: SharedFingerprintSet) {}

  add(h1: number, h2: number): number {
    for (;;) {
      const slot = this.store.add(h1, h2);
      if (slot !== STORE_NEEDS_GROWTH) return slot;
      this.store.flush();
      this.store = this.store.grownCopy();
    }
  }

  get size(): number {
    return this.store.size;
  }

  get bytes(): number {
    return this.store.bytes;
  }

  idAt(slot: number): number {
    return this.store.idAt(slot);
  }
}
