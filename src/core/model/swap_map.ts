/**
 * swap_map and swap-cache primitives shared by every path (mm/swapfile.c, mm/swap_state.c):
 * swapcache_prepare, swap_free, put_swap_folio, swapcache_clear, free_swap_slot, folio_free_swap.
 * Each runs inside one step (one cluster-lock or xa_lock critical section of its caller).
 */
import { freeIfUnused } from './folios';
import {
  DEV_BATCH, DEV_GONE, DEV_WRITEOK, FOLIO_SWAPCACHE, FOLIO_WRITEBACK, GARBAGE, Machine, NONE,
  SLOT_HAS_CACHE, SLOT_IN_BATCH, SLOT_ZSWAP,
} from './state';
import type { StepCtx } from './step';

export const OK = 0;
export const EEXIST = 1;
export const ENOENT = 2;

/** `__swap_duplicate(e, SWAP_HAS_CACHE)`: pin the slot for whoever will add (or skip) the cache folio. */
export function swapcachePrepare(m: Machine, slot: number): number {
  if (m.hasCache(slot)) return EEXIST;
  if (m.count(slot) === 0) return ENOENT;
  m.setSlotFlags(slot, m.slotFlags(slot) | SLOT_HAS_CACHE);
  return OK;
}

/** The per-CPU slot cache holds freed entries back only while it is active (swapoff disables it). */
function slotsRetActive(m: Machine, c: StepCtx): boolean {
  return c.k.slotsRet && c.device.reuse === 'batched' && m.dev(DEV_WRITEOK) === 1;
}

/** `swap_entry_free` / `swap_range_free`: the slot becomes allocatable; zram discards, zswap invalidates. */
function releaseSlot(m: Machine, c: StepCtx, slot: number): void {
  const flags = m.slotFlags(slot);
  m.setCount(slot, 0);
  m.setSlotFlags(slot, 0);
  if (c.device.discardOnFree || flags & SLOT_ZSWAP) m.setSlotData(slot, GARBAGE);
  if (m.notes) m.say(`slot ${slot} freed${c.device.discardOnFree ? ' (data discarded)' : ''}`);
  if (m.events) m.event({ kind: 'freed', slot });
}

/** `free_swap_slot`: called when count and HAS_CACHE both reach zero. */
export function freeSwapSlot(m: Machine, c: StepCtx, slot: number): void {
  if (!slotsRetActive(m, c)) {
    releaseSlot(m, c, slot);
    return;
  }
  m.setSlotFlags(slot, (m.slotFlags(slot) | SLOT_HAS_CACHE | SLOT_IN_BATCH));
  const held = m.dev(DEV_BATCH) + 1;
  if (m.notes) m.say(`slot ${slot} parked in slots_ret (${held}/${c.device.batchSize})`);
  if (held < c.device.batchSize) {
    m.setDev(DEV_BATCH, held);
    return;
  }
  flushSlotsRet(m, c);
}

/** `swapcache_free_entries`: the batch becomes allocatable at once. */
export function flushSlotsRet(m: Machine, c: StepCtx): void {
  for (let s = 0; s < m.layout.sizes.slots; s++) {
    if (m.slotFlags(s) & SLOT_IN_BATCH) releaseSlot(m, c, s);
  }
  m.setDev(DEV_BATCH, 0);
}

/** `swap_free`: drop one reference; the slot is freed when nothing (count or cache) remains. */
export function swapFree(m: Machine, c: StepCtx, slot: number): void {
  const count = m.count(slot) - 1;
  m.setCount(slot, count);
  if (count === 0 && !m.hasCache(slot)) freeSwapSlot(m, c, slot);
}

/** `put_swap_folio` and `swapcache_clear` (C2) have the same effect: drop HAS_CACHE, free if nothing remains. */
export function dropHasCache(m: Machine, c: StepCtx, slot: number): void {
  m.setSlotFlags(slot, m.slotFlags(slot) & ~SLOT_HAS_CACHE);
  if (m.count(slot) === 0) freeSwapSlot(m, c, slot);
}

/** `__delete_from_swap_cache`: the cache entry goes, HAS_CACHE stays until put_swap_folio. */
export function deleteFromSwapCache(m: Machine, f: number): number {
  const slot = m.folioSwap(f);
  m.setCacheFolio(slot, NONE);
  m.folioSet(f, FOLIO_SWAPCACHE, false);
  m.setFolioSwap(f, NONE);
  return slot;
}

/** `folio_free_swap` (folio locked): only when nothing but the cache uses the slot and no write is in flight. */
export function folioFreeSwap(m: Machine, c: StepCtx, f: number): boolean {
  if (!m.folioHas(f, FOLIO_SWAPCACHE) || m.folioHas(f, FOLIO_WRITEBACK)) return false;
  const slot = m.folioSwap(f);
  if (m.count(slot) > 0) return false;
  deleteFromSwapCache(m, f);
  dropHasCache(m, c, slot);
  freeIfUnused(m, f);
  if (m.notes) m.say(`folio ${f} left the swap cache`);
  return true;
}

/** Is the slot owned by nobody (its data may be discarded or reused)? A batch entry counts as freed. */
export function slotIsFree(m: Machine, slot: number): boolean {
  const flags = m.slotFlags(slot);
  return (m.count(slot) === 0 && (flags & SLOT_HAS_CACHE) === 0) || (flags & SLOT_IN_BATCH) !== 0;
}

/** Touching swap_map after swapoff freed it is a use-after-free (S6); reading a freed slot reads garbage. */
export function checkDeviceAlive(m: Machine, what: string, slot?: number): boolean {
  if (m.dev(DEV_GONE)) {
    const target = slot === undefined ? what : `${what} ${slot}`;
    m.violate('no-use-after-swapoff', `${target} after swapoff freed the device`);
    return false;
  }
  return true;
}

/**
 * `swap_read_folio` of one slot into a folio (a private one, or one in the swap cache): returns the data
 * read. A read of a freed slot is a violation; a zswap hit erases the entry when the load is exclusive.
 */
export function readSlot(m: Machine, slot: number, eraseZswap: boolean, into: 'private' | 'swapcache'): number {
  if (!checkDeviceAlive(m, 'read of slot', slot)) return GARBAGE;
  if (slotIsFree(m, slot)) m.violate('no-freed-slot-read', `slot ${slot} was read after it was freed`);
  const data = m.slotData(slot);
  const flags = m.slotFlags(slot);
  if (flags & SLOT_ZSWAP && eraseZswap) {
    m.setSlotFlags(slot, flags & ~SLOT_ZSWAP);
    m.setSlotData(slot, GARBAGE);
    if (m.notes) m.say(`zswap entry of slot ${slot} erased by an exclusive load`);
    if (m.events) m.event({ kind: 'erased', slot, intoPrivateFolio: into === 'private' });
  }
  return data;
}
