import type { TraceEvent } from '../trace/types';
import type { UndoLog } from './undoLog';

/**
 * The swap state as one flat byte array, so that copying a state is a `slice()` and hashing it is a loop.
 * `Layout` maps a scenario's sizes (mms, pages, slots, folios, threads) to offsets; `Machine` reads and
 * writes fields through it and, when tracking, records which shared objects a step touched
 * (partial-order reduction and the timeline's conflict marks use the same bit sets).
 */

/** PTE / mapping-slot encoding: 0 none, 1 + s swap(slot s), 0x80 | f present(folio f). */
export const PTE_NONE = 0;
export const PTE_PRESENT = 0x80;
export const swapPte = (slot: number): number => 1 + slot;
export const presentPte = (folio: number): number => PTE_PRESENT | folio;
export const isSwapPte = (v: number): boolean => v !== PTE_NONE && (v & PTE_PRESENT) === 0;
export const isPresentPte = (v: number): boolean => (v & PTE_PRESENT) !== 0;
export const pteSlot = (v: number): number => v - 1;
export const pteFolio = (v: number): number => v & 0x7f;

export { GARBAGE, ZERO_DATA } from './dataValues';

export const NONE = 0xff;

/** swap_map flags beside the count. */
export const SLOT_HAS_CACHE = 1;
/** The slot sits in the per-CPU `slots_ret` batch: freed, still marked HAS_CACHE, not yet allocatable. */
export const SLOT_IN_BATCH = 2;
/** The slot's data lives in a zswap entry (an exclusive load erases it). */
export const SLOT_ZSWAP = 4;

export const FOLIO_IN_USE = 1;
export const FOLIO_SWAPCACHE = 2;
export const FOLIO_UPTODATE = 4;
export const FOLIO_DIRTY = 8;
export const FOLIO_WRITEBACK = 16;

/** Per-thread flags. */
export const T_PINNED = 1; // holds SWAP_HAS_CACHE on `entry` without a cache folio (swapcache_prepare, allocation, removal)
export const T_HOLDS_DEVICE = 2; // holds a get_swap_device() reference
export const T_SWAPCACHE = 4; // the folio came from the swap cache (`swapcache != NULL` in do_swap_page)
export const T_REF_DROPPED = 8; // ghost: count already dropped while the PTE still names the entry
export const T_REF_OWED = 16; // ghost: the mapping no longer names the entry but the count is not dropped yet
export const T_WRITE = 32; // the current access is a write
export const T_MMAP_READ = 64; // holds its page's VMA lock (or the mm's mmap_lock) for read: an anon fault, or swapoff unusing the page

/** Device fields. */
export const DEV_WRITEOK = 0;
export const DEV_USERS_KILLED = 1;
export const DEV_GONE = 2;
export const DEV_USERS = 3;
export const DEV_CURSOR = 4;
export const DEV_NEXT_VALUE = 5;
export const DEV_BATCH = 6;
const DEV_FIELDS = 7;

const PAGE_FIELDS = 3; // pte, latest (ghost), VMA lock readers
const SLOT_FIELDS = 4; // count, flags, data, cache folio
const FOLIO_FIELDS = 6; // flags, lock owner, data, swap slot, users (PTE + mapping references), refs (thread-held)
const FOLIO_LOCK_OWNER = 1;
export const THREAD_FIELDS = 8; // op index, pc, orig pte, entry, folio, flags, aux, aux2

export const TF_OP = 0;
export const TF_PC = 1;
export const TF_ORIG = 2;
export const TF_ENTRY = 3;
export const TF_FOLIO = 4;
export const TF_FLAGS = 5;
export const TF_AUX = 6;
export const TF_AUX2 = 7;

export interface Sizes {
  mms: number;
  pages: number;
  slots: number;
  folios: number;
  threads: number;
}

export class Layout {
  readonly ptl = 0;
  readonly dev: number;
  readonly page: number;
  readonly slot: number;
  readonly folio: number;
  readonly thread: number;
  readonly size: number;
  /** Object ids for tracking: pages, then slots, then folios, then PTLs, then the pages' VMA locks, then the device. */
  readonly objPage = 0;
  readonly objSlot: number;
  readonly objFolio: number;
  readonly objPtl: number;
  readonly objVmaReaders: number;
  readonly objDevice: number;
  readonly objects: number;
  /** Words of a bit set over the objects (`Machine.readBits`, `writeBits`). */
  readonly objectWords: number;

  constructor(readonly sizes: Sizes) {
    this.dev = sizes.mms;
    this.page = this.dev + DEV_FIELDS;
    this.slot = this.page + sizes.pages * PAGE_FIELDS;
    this.folio = this.slot + sizes.slots * SLOT_FIELDS;
    this.thread = this.folio + sizes.folios * FOLIO_FIELDS;
    this.size = this.thread + sizes.threads * THREAD_FIELDS;
    this.objSlot = sizes.pages;
    this.objFolio = this.objSlot + sizes.slots;
    this.objPtl = this.objFolio + sizes.folios;
    this.objVmaReaders = this.objPtl + sizes.mms;
    this.objDevice = this.objVmaReaders + sizes.pages;
    this.objects = this.objDevice + 1;
    this.objectWords = (this.objects + 31) >>> 5;
  }

  /**
   * Offsets of the shared bytes that hold a thread index (PTL owners, folio lock owners, NONE when
   * free). Symmetry reduction renumbers them when it permutes threads: a new field that stores a
   * thread index must be listed here.
   */
  threadIndexBytes(): number[] {
    const offsets: number[] = [];
    for (let mm = 0; mm < this.sizes.mms; mm++) offsets.push(this.ptl + mm);
    for (let f = 0; f < this.sizes.folios; f++) offsets.push(this.folio + f * FOLIO_FIELDS + FOLIO_LOCK_OWNER);
    return offsets;
  }
}

export interface Violation {
  property: string;
  message: string;
}

/**
 * A mutable view over one state. Steps run against a Machine whose `s` is a copy of the predecessor
 * state, or the predecessor itself when the search steps in place and logs the writes (`undo`).
 */
export class Machine {
  s: Uint8Array;
  /** Set by a step that breaks a safety property on this transition. */
  violation: Violation | undefined;
  /**
   * When set, reads and writes of shared objects are recorded here as bit sets (bit `obj` of word
   * `obj >> 5`, `Layout.objectWords` words), which the search's partial-order reduction ORs into
   * without allocating. Callers clear them.
   */
  readBits: Int32Array | undefined;
  writeBits: Int32Array | undefined;
  /**
   * When set (trace building only), the reads of an allocator's scan for a free folio or slot go here
   * instead of `readBits` (`beginScan` to `endScan`): to a person, a scan past folio 0 to allocate folio 1
   * is no use of folio 0. The search leaves it unset, so its footprints count the scan as reads.
   */
  scanBits: Int32Array | undefined;
  /**
   * When set, steps describe what they did in words (trace building only). Steps guard each call
   * with `if (m.notes)` so that the search, which records nothing, never builds the text.
   */
  notes: string[] | undefined;
  /** When set, steps report structured events (trace building only); guarded like `notes`. */
  events: TraceEvent[] | undefined;
  /** When set, every write is logged first (the depth-first search steps states in place). */
  undo: UndoLog | undefined;

  constructor(readonly layout: Layout, s: Uint8Array) {
    this.s = s;
  }

  /** Writes byte `offset` of the state: every write of a step goes through here. */
  put(offset: number, v: number): void {
    if (this.undo !== undefined) this.undo.touch(offset);
    this.s[offset] = v;
  }

  // ---- tracking -----------------------------------------------------------------------------
  /** An allocator's scan starts; returns what `endScan` restores. */
  beginScan(): Int32Array | undefined {
    const reads = this.readBits;
    if (this.scanBits !== undefined) this.readBits = this.scanBits;
    return reads;
  }
  endScan(reads: Int32Array | undefined): void {
    this.readBits = reads;
  }
  private r(obj: number): void {
    if (this.readBits !== undefined) this.readBits[obj >> 5] |= 1 << (obj & 31);
  }
  private w(obj: number): void {
    if (this.writeBits !== undefined) this.writeBits[obj >> 5] |= 1 << (obj & 31);
  }
  say(text: string): void {
    if (this.notes) this.notes.push(text);
  }
  event(e: TraceEvent): void {
    if (this.events) this.events.push(e);
  }
  violate(property: string, message: string): void {
    if (!this.violation) this.violation = { property, message };
  }

  // ---- page-table locks ----------------------------------------------------------------------
  ptlOwner(mm: number): number {
    this.r(this.layout.objPtl + mm);
    return this.s[this.layout.ptl + mm];
  }
  ptlFree(mm: number): boolean {
    return this.ptlOwner(mm) === NONE;
  }
  setPtl(mm: number, owner: number): void {
    this.w(this.layout.objPtl + mm);
    this.put(this.layout.ptl + mm, owner);
  }

  // ---- device ------------------------------------------------------------------------------
  dev(field: number): number {
    this.r(this.layout.objDevice);
    return this.s[this.layout.dev + field];
  }
  setDev(field: number, v: number): void {
    this.w(this.layout.objDevice);
    this.put(this.layout.dev + field, v);
  }

  // ---- pages (PTE or shmem mapping slot) and the ghost latest value -------------------------
  pte(p: number): number {
    this.r(this.layout.objPage + p);
    return this.s[this.layout.page + p * PAGE_FIELDS];
  }
  setPte(p: number, v: number): void {
    this.w(this.layout.objPage + p);
    this.put(this.layout.page + p * PAGE_FIELDS, v);
  }
  latest(p: number): number {
    this.r(this.layout.objPage + p);
    return this.s[this.layout.page + p * PAGE_FIELDS + 1];
  }
  setLatest(p: number, v: number): void {
    this.w(this.layout.objPage + p);
    this.put(this.layout.page + p * PAGE_FIELDS + 1, v);
  }
  /**
   * Threads holding the page's VMA lock (v6.4+) or its mm's mmap_lock for read: anon faults on the page, and
   * swapoff's unuse_mm while it unuses the page. A separate object from the PTE, so that partial-order
   * reduction keeps PTE reads independent of it.
   */
  vmaReaders(p: number): number {
    this.r(this.layout.objVmaReaders + p);
    return this.s[this.layout.page + p * PAGE_FIELDS + 2];
  }
  setVmaReaders(p: number, n: number): void {
    this.w(this.layout.objVmaReaders + p);
    this.put(this.layout.page + p * PAGE_FIELDS + 2, n);
  }

  // ---- swap slots: swap_map count and flags, stored data, swap-cache entry -------------------
  private slotAt(slot: number, field: number): number {
    return this.layout.slot + slot * SLOT_FIELDS + field;
  }
  count(slot: number): number {
    this.r(this.layout.objSlot + slot);
    return this.s[this.slotAt(slot, 0)];
  }
  setCount(slot: number, v: number): void {
    this.w(this.layout.objSlot + slot);
    this.put(this.slotAt(slot, 0), v);
  }
  slotFlags(slot: number): number {
    this.r(this.layout.objSlot + slot);
    return this.s[this.slotAt(slot, 1)];
  }
  setSlotFlags(slot: number, v: number): void {
    this.w(this.layout.objSlot + slot);
    this.put(this.slotAt(slot, 1), v);
  }
  hasCache(slot: number): boolean {
    return (this.slotFlags(slot) & SLOT_HAS_CACHE) !== 0;
  }
  slotData(slot: number): number {
    this.r(this.layout.objSlot + slot);
    return this.s[this.slotAt(slot, 2)];
  }
  setSlotData(slot: number, v: number): void {
    this.w(this.layout.objSlot + slot);
    this.put(this.slotAt(slot, 2), v);
  }
  cacheFolio(slot: number): number {
    this.r(this.layout.objSlot + slot);
    return this.s[this.slotAt(slot, 3)];
  }
  setCacheFolio(slot: number, f: number): void {
    this.w(this.layout.objSlot + slot);
    this.put(this.slotAt(slot, 3), f);
  }

  // ---- folios -------------------------------------------------------------------------------
  private folioAt(f: number, field: number): number {
    return this.layout.folio + f * FOLIO_FIELDS + field;
  }
  folioFlags(f: number): number {
    this.r(this.layout.objFolio + f);
    return this.s[this.folioAt(f, 0)];
  }
  setFolioFlags(f: number, v: number): void {
    this.w(this.layout.objFolio + f);
    this.put(this.folioAt(f, 0), v);
  }
  folioHas(f: number, flag: number): boolean {
    return (this.folioFlags(f) & flag) !== 0;
  }
  folioSet(f: number, flag: number, on: boolean): void {
    const v = this.folioFlags(f);
    this.setFolioFlags(f, on ? v | flag : v & ~flag);
  }
  lockOwner(f: number): number {
    this.r(this.layout.objFolio + f);
    return this.s[this.folioAt(f, FOLIO_LOCK_OWNER)];
  }
  setLockOwner(f: number, t: number): void {
    this.w(this.layout.objFolio + f);
    this.put(this.folioAt(f, FOLIO_LOCK_OWNER), t);
  }
  folioData(f: number): number {
    this.r(this.layout.objFolio + f);
    return this.s[this.folioAt(f, 2)];
  }
  setFolioData(f: number, v: number): void {
    this.w(this.layout.objFolio + f);
    this.put(this.folioAt(f, 2), v);
  }
  folioSwap(f: number): number {
    this.r(this.layout.objFolio + f);
    return this.s[this.folioAt(f, 3)];
  }
  setFolioSwap(f: number, slot: number): void {
    this.w(this.layout.objFolio + f);
    this.put(this.folioAt(f, 3), slot);
  }
  folioUsers(f: number): number {
    this.r(this.layout.objFolio + f);
    return this.s[this.folioAt(f, 4)];
  }
  setFolioUsers(f: number, v: number): void {
    this.w(this.layout.objFolio + f);
    this.put(this.folioAt(f, 4), v);
  }
  folioRefs(f: number): number {
    this.r(this.layout.objFolio + f);
    return this.s[this.folioAt(f, 5)];
  }
  setFolioRefs(f: number, v: number): void {
    this.w(this.layout.objFolio + f);
    this.put(this.folioAt(f, 5), v);
  }

  // ---- threads (private: never tracked) --------------------------------------------------------
  tl(t: number, field: number): number {
    return this.s[this.layout.thread + t * THREAD_FIELDS + field];
  }
  setTl(t: number, field: number, v: number): void {
    this.put(this.layout.thread + t * THREAD_FIELDS + field, v);
  }
  tflag(t: number, flag: number): boolean {
    return (this.tl(t, TF_FLAGS) & flag) !== 0;
  }
  setTflag(t: number, flag: number, on: boolean): void {
    const v = this.tl(t, TF_FLAGS);
    this.setTl(t, TF_FLAGS, on ? v | flag : v & ~flag);
  }
}

/** An exact key for a state (the reference explorer uses it: no hash collisions possible). */
export function stateKey(s: Uint8Array): string {
  return Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1');
}
