/**
 * What a trace step read only because an allocator scanned for a free folio or swap slot.
 *
 * The search's partial-order reduction must count those reads (freeing a folio or a slot changes what the
 * allocator returns), and the trace's `reads` keep them: they are the same footprint. But to a person a scan
 * past folio 0 to allocate folio 1 is no use of folio 0, so the trace also lists them apart (`TraceStep.scans`)
 * and the timeline leaves them out of its marks and conflicts.
 *
 * The model records reads per object, with no word of why; `ScanLog` tells the scans apart by their shape in
 * a field-level log of one step's folio and slot accesses:
 * - a folio allocation (`allocFolio`) reads the flags of folios 0, 1, ..., k in a row and then initialises
 *   folio k (flags = IN_USE, lock owner, data, folio->swap = none, users 0, refs 1): folios 0..k-1 were scanned;
 * - a slot allocation (`get_swap_pages`) reads every slot in order, the count and, when it is 0, the flags,
 *   then sets SWAP_HAS_CACHE alone on one of the free slots it read: the others were scanned.
 * A step that also touches a scanned object any other way (a read outside the scan, a write) uses it: it stays.
 * A shape this does not recognise leaves every read in place, which only shows more conflicts than needed.
 */
import { FOLIO_IN_USE, Machine, NONE, SLOT_HAS_CACHE } from '../model/state';

type Field = 'flags' | 'lock' | 'data' | 'swap' | 'users' | 'refs' | 'count' | 'cache';

interface Access {
  object: 'folio' | 'slot';
  index: number;
  field: Field;
  write: boolean;
  /** The value read or written. */
  value: number;
}

/** The allocation that ends with folio k's initialisation, in `allocFolio`'s order. */
const FOLIO_INIT: readonly { field: Field; value?: number }[] = [
  { field: 'flags', value: FOLIO_IN_USE },
  { field: 'lock' },
  { field: 'data' },
  { field: 'swap', value: NONE },
  { field: 'users', value: 0 },
  { field: 'refs', value: 1 },
];

/** A Machine that also logs, in order, every access of a folio or slot field (trace building only). */
export class ScanLog extends Machine {
  readonly log: Access[] = [];

  private note(object: Access['object'], index: number, field: Field, write: boolean, value: number): number {
    this.log.push({ object, index, field, write, value });
    return value;
  }

  override folioFlags(f: number): number { return this.note('folio', f, 'flags', false, super.folioFlags(f)); }
  override setFolioFlags(f: number, v: number): void { this.note('folio', f, 'flags', true, v); super.setFolioFlags(f, v); }
  override lockOwner(f: number): number { return this.note('folio', f, 'lock', false, super.lockOwner(f)); }
  override setLockOwner(f: number, t: number): void { this.note('folio', f, 'lock', true, t); super.setLockOwner(f, t); }
  override folioData(f: number): number { return this.note('folio', f, 'data', false, super.folioData(f)); }
  override setFolioData(f: number, v: number): void { this.note('folio', f, 'data', true, v); super.setFolioData(f, v); }
  override folioSwap(f: number): number { return this.note('folio', f, 'swap', false, super.folioSwap(f)); }
  override setFolioSwap(f: number, slot: number): void { this.note('folio', f, 'swap', true, slot); super.setFolioSwap(f, slot); }
  override folioUsers(f: number): number { return this.note('folio', f, 'users', false, super.folioUsers(f)); }
  override setFolioUsers(f: number, v: number): void { this.note('folio', f, 'users', true, v); super.setFolioUsers(f, v); }
  override folioRefs(f: number): number { return this.note('folio', f, 'refs', false, super.folioRefs(f)); }
  override setFolioRefs(f: number, v: number): void { this.note('folio', f, 'refs', true, v); super.setFolioRefs(f, v); }
  override count(slot: number): number { return this.note('slot', slot, 'count', false, super.count(slot)); }
  override setCount(slot: number, v: number): void { this.note('slot', slot, 'count', true, v); super.setCount(slot, v); }
  override slotFlags(slot: number): number { return this.note('slot', slot, 'flags', false, super.slotFlags(slot)); }
  override setSlotFlags(slot: number, v: number): void { this.note('slot', slot, 'flags', true, v); super.setSlotFlags(slot, v); }
  override slotData(slot: number): number { return this.note('slot', slot, 'data', false, super.slotData(slot)); }
  override setSlotData(slot: number, v: number): void { this.note('slot', slot, 'data', true, v); super.setSlotData(slot, v); }
  override cacheFolio(slot: number): number { return this.note('slot', slot, 'cache', false, super.cacheFolio(slot)); }
  override setCacheFolio(slot: number, f: number): void { this.note('slot', slot, 'cache', true, f); super.setCacheFolio(slot, f); }

  /**
   * The object ids (`folio:<f>`, `slot:<s>`, as `objectIds` names them) that the logged accesses touched only
   * in an allocator's scan, sorted.
   */
  scannedOnly(): string[] {
    const scan = new Set<number>();
    this.log.forEach((access, at) => {
      if (access.write && access.object === 'folio' && access.field === 'flags') this.folioAllocationScan(at).forEach((i) => scan.add(i));
      if (access.write && access.object === 'slot' && access.field === 'flags') this.slotAllocationScan(at).forEach((i) => scan.add(i));
    });
    const scanned = new Set<string>();
    const used = new Set<string>();
    this.log.forEach((access, at) => (scan.has(at) ? scanned : used).add(`${access.object}:${access.index}`));
    return [...scanned].filter((id) => !used.has(id)).sort();
  }

  /** If log[at] starts folio k's initialisation after reading the flags of folios 0..k in a row: the positions of the reads of 0..k-1. */
  private folioAllocationScan(at: number): number[] {
    const k = this.log[at].index;
    const init = FOLIO_INIT.every(({ field, value }, i) => {
      const access = this.log[at + i];
      return access?.write && access.object === 'folio' && access.index === k && access.field === field && (value === undefined || access.value === value);
    });
    if (!init || at < k + 1) return [];
    const start = at - (k + 1);
    for (let f = 0; f <= k; f++) {
      const access = this.log[start + f];
      if (access.write || access.object !== 'folio' || access.index !== f || access.field !== 'flags') return [];
      if (((access.value & FOLIO_IN_USE) !== 0) !== (f < k)) return [];
    }
    return Array.from({ length: k }, (_, f) => start + f);
  }

  /**
   * If log[at] sets SWAP_HAS_CACHE alone on a free slot right after a read of every slot in order (the count,
   * and the flags when the count is 0): the positions of the reads of the other slots.
   */
  private slotAllocationScan(at: number): number[] {
    const picked = this.log[at];
    if (picked.value !== SLOT_HAS_CACHE) return [];
    const slots = this.layout.sizes.slots;
    // Walk back over the reads: each slot is [count] or [count, flags], the last slot's reads end at at - 1.
    const positions: number[][] = [];
    let i = at - 1;
    for (let s = slots - 1; s >= 0; s--) {
      const last = this.log[i];
      if (!last || last.write || last.object !== 'slot' || last.index !== s) return [];
      let reads: number[];
      if (last.field === 'flags') {
        const count = this.log[i - 1];
        if (!count || count.write || count.object !== 'slot' || count.index !== s || count.field !== 'count' || count.value !== 0) return [];
        reads = [i - 1, i];
      } else if (last.field === 'count' && last.value !== 0) {
        reads = [i];
      } else {
        return [];
      }
      positions[s] = reads;
      i = reads[0] - 1;
    }
    const pickedReads = positions[picked.index];
    const pickedWasFree = pickedReads?.length === 2 && this.log[pickedReads[1]].value === 0;
    if (!pickedWasFree) return [];
    return positions.flatMap((reads, s) => (s === picked.index ? [] : reads));
  }
}
