/**
 * Swap-in through the swap cache (mm/swap_state.c), reference §3: `__read_swap_cache_async` (R2-R9)
 * up to v6.18, and phase II's `swapin_folio` (v7.0, §8), where inserting the folio into the swap cache
 * under the cluster lock is the synchronization. Both are fragments spliced into the fault, shmem and
 * swapoff paths; they leave a referenced folio in TF_FOLIO (onFolio) or nothing (onNull).
 */
import { allocFolio, getFolio, putFolio } from './folios';
import {
  DEV_WRITEOK, FOLIO_DIRTY, FOLIO_SWAPCACHE, FOLIO_UPTODATE, Machine, NONE, SLOT_HAS_CACHE, SLOT_ZSWAP,
  T_PINNED, T_SWAPCACHE, TF_ENTRY, TF_FOLIO,
} from './state';
import { NEXT, Path, StepCtx, StepDef } from './step';
import { EEXIST, OK, checkDeviceAlive, readSlot, swapcachePrepare } from './swap_map';

/** The swap-cache lookup every path starts with: lockless, a hit takes a reference (folio_try_get). */
export function swapCacheLookup(id: string, fn: string, hit: string): StepDef {
  return {
    id,
    fn,
    point: 'swap_cache_get_folio',
    summary: 'lockless swap-cache lookup; a hit only takes a reference, not the folio lock',
    run(m, c) {
      const slot = m.tl(c.t, TF_ENTRY);
      if (!checkDeviceAlive(m, 'swap-cache lookup')) return NEXT;
      const f = m.cacheFolio(slot);
      if (f === NONE) {
        if (m.notes) m.say(`swap cache miss for slot ${slot}`);
        return NEXT;
      }
      getFolio(m, f);
      m.setTl(c.t, TF_FOLIO, f);
      m.setTflag(c.t, T_SWAPCACHE, true);
      if (m.notes) m.say(`swap cache hit: folio ${f} (reference only)`);
      return hit;
    },
  };
}

/** `swap_read_folio` into the thread's swap-cache folio; the I/O completion unlocks it. */
export function readIntoCacheFolio(id: string, then: string, exclusiveLoads: boolean): StepDef {
  return {
    id,
    fn: 'swap_read_folio',
    point: 'swap_read_folio',
    summary: 'read the slot into the new swap-cache folio; I/O completion marks it uptodate and unlocks it',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      const slot = m.tl(c.t, TF_ENTRY);
      const fromZswap = (m.slotFlags(slot) & SLOT_ZSWAP) !== 0;
      // The folio is in the swap cache, so an exclusive zswap load (v6.5 on) may drop the zswap copy: the
      // folio, now dirty, is the authoritative copy. Before, the load left the zswap entry as it was.
      m.setFolioData(f, readSlot(m, slot, exclusiveLoads, 'swapcache'));
      m.folioSet(f, FOLIO_UPTODATE, true);
      if (fromZswap && exclusiveLoads) m.folioSet(f, FOLIO_DIRTY, true);
      m.setLockOwner(f, NONE);
      if (m.notes) m.say(`folio ${f} read from slot ${slot}: value ${m.folioData(f)}`);
      if (m.events) m.event({ kind: 'read', slot, folio: f, value: m.folioData(f), holdsHasCache: true });
      return then;
    },
  };
}

/** R2-R9 (v6.7 .. v6.18), with HAS_CACHE as the bit lock between readers. */
export function addReadSwapCacheAsync(path: Path, c: { k: { slotsRet: boolean; zswapExclusiveLoads: boolean } }, onFolio: string, onNull: string): void {
  const P = '__read_swap_cache_async';
  path.add(swapCacheLookup('__read_swap_cache_async.lookup', P, onFolio));
  path.add({
    id: '__read_swap_cache_async.swap_swapcount',
    fn: P,
    point: 'swap_swapcount',
    summary: 'a slot whose count is 0 while the slot cache is enabled has been freed: return NULL',
    run(m, cx: StepCtx) {
      const slot = m.tl(cx.t, TF_ENTRY);
      const slotCacheEnabled = c.k.slotsRet && cx.device.reuse === 'batched' && m.dev(DEV_WRITEOK) === 1;
      if (m.count(slot) === 0 && slotCacheEnabled) {
        if (m.notes) m.say(`slot ${slot} has count 0: return NULL`);
        return onNull;
      }
      return NEXT;
    },
  });
  path.add({
    id: '__read_swap_cache_async.swapcache_prepare',
    fn: P,
    point: 'swapcache_prepare',
    summary: 'allocate a folio and set SWAP_HAS_CACHE under the cluster lock; -EEXIST means another owner',
    run(m, cx) {
      const slot = m.tl(cx.t, TF_ENTRY);
      if (!checkDeviceAlive(m, 'swapcache_prepare')) return onNull;
      const err = swapcachePrepare(m, slot);
      if (err === OK) {
        m.setTl(cx.t, TF_FOLIO, allocFolio(m, 0, cx.t));
        m.setTflag(cx.t, T_PINNED, true);
        if (m.notes) m.say(`swapcache_prepare(slot ${slot}) = 0: HAS_CACHE set`);
        return '__read_swap_cache_async.add_to_swap_cache';
      }
      if (m.notes) m.say(`swapcache_prepare(slot ${slot}) = ${err === EEXIST ? '-EEXIST' : '-ENOENT'}`);
      return err === EEXIST ? '__read_swap_cache_async.eexist_sleep' : onNull;
    },
  });
  path.add({
    id: '__read_swap_cache_async.eexist_sleep',
    fn: P,
    point: 'schedule_timeout_uninterruptible',
    summary: '-EEXIST: sleep one tick and look up the swap cache again',
    run: () => '__read_swap_cache_async.lookup',
  });
  path.add({
    id: '__read_swap_cache_async.add_to_swap_cache',
    fn: P,
    point: 'add_to_swap_cache',
    summary: 'the locked folio enters the swap cache under xa_lock (PG_swapcache, folio->swap = entry)',
    run(m, cx) {
      const slot = m.tl(cx.t, TF_ENTRY);
      const f = m.tl(cx.t, TF_FOLIO);
      m.setCacheFolio(slot, f);
      m.folioSet(f, FOLIO_SWAPCACHE, true);
      m.setFolioSwap(f, slot);
      m.setTflag(cx.t, T_PINNED, false);
      m.setTflag(cx.t, T_SWAPCACHE, true);
      if (m.notes) m.say(`folio ${f} added to the swap cache for slot ${slot}`);
      return NEXT;
    },
  });
  path.add(readIntoCacheFolio('__read_swap_cache_async.swap_read_folio', onFolio, c.k.zswapExclusiveLoads));
}

/** Phase II (v7.0): insert a new folio into the swap cache, or use the one already there. */
export function addSwapinFolio(path: Path, onFolio: string, onNull: string): void {
  path.add({
    id: 'swapin_folio.insert',
    fn: '__swap_cache_prepare_and_add',
    point: 'insert',
    summary: 'under the cluster lock: use the cached folio if there is one, else insert our locked folio',
    run(m, c) {
      const slot = m.tl(c.t, TF_ENTRY);
      if (!checkDeviceAlive(m, 'swap cache insert')) return onNull;
      const existing = m.cacheFolio(slot);
      if (existing !== NONE) {
        getFolio(m, existing);
        m.setTl(c.t, TF_FOLIO, existing);
        m.setTflag(c.t, T_SWAPCACHE, true);
        if (m.notes) m.say(`slot ${slot} already has folio ${existing} in the swap cache: use it`);
        return onFolio;
      }
      if (m.count(slot) === 0) {
        if (m.notes) m.say(`slot ${slot} has count 0: return NULL`);
        return onNull;
      }
      const f = allocFolio(m, 0, c.t);
      m.setCacheFolio(slot, f);
      m.folioSet(f, FOLIO_SWAPCACHE, true);
      m.setFolioSwap(f, slot);
      m.setSlotFlags(slot, m.slotFlags(slot) | SLOT_HAS_CACHE);
      m.setTl(c.t, TF_FOLIO, f);
      m.setTflag(c.t, T_SWAPCACHE, true);
      if (m.notes) m.say(`folio ${f} inserted into the swap cache for slot ${slot}: this thread does the I/O`);
      return NEXT;
    },
  });
  // Only v7.0 has this path, long after exclusive loads came in.
  path.add(readIntoCacheFolio('swapin_folio.swap_read_folio', onFolio, true));
}

/** Drop the folio a failed fault holds: unlock it if we hold the lock, put our reference. */
export function releaseFolio(m: Machine, t: number): void {
  const f = m.tl(t, TF_FOLIO);
  if (f === NONE) return;
  if (m.lockOwner(f) === t) m.setLockOwner(f, NONE);
  putFolio(m, f);
  m.setTl(t, TF_FOLIO, NONE);
}

/**
 * The Nov 2023 proposal's non-fault swap-in helper (swapin_page_non_fault, patch 18/24), used by shmem
 * and by swapoff: a count-1 entry on a synchronous device is read into a private folio with no pin
 * (SWAP_CACHE_BYPASS); anything else goes through the swap cache. `prefix` keeps each caller's step ids.
 */
export function addNonFaultBypass(
  path: Path,
  k: { zswapExclusiveOnBypass: boolean },
  prefix: string,
  next: { bypassed: string; cached: string },
  keepsSwapEntry: boolean,
): void {
  path.add({
    id: `${prefix}.swap_count_check`,
    fn: 'swapin_page_non_fault',
    point: '__swap_count',
    summary: 'Nov 2023 proposal: a synchronous device with count 1 bypasses the swap cache, with no pin',
    run(m, c) {
      const slot = m.tl(c.t, TF_ENTRY);
      return c.device.synchronous && m.count(slot) === 1 ? NEXT : next.cached;
    },
  });
  path.add({
    id: `${prefix}.bypass_read`,
    fn: 'swapin_no_readahead',
    point: 'swap_read_folio',
    summary: 'bypass: allocate a private folio and read the slot synchronously (SWAP_CACHE_BYPASS)',
    run(m, c) {
      const slot = m.tl(c.t, TF_ENTRY);
      const f = allocFolio(m, 0, NONE);
      m.setFolioData(f, readSlot(m, slot, k.zswapExclusiveOnBypass, 'private'));
      m.folioSet(f, FOLIO_UPTODATE, true);
      // shmem's H4 re-check compares folio->swap with the entry, so its bypass folio keeps it.
      if (keepsSwapEntry) m.setFolioSwap(f, slot);
      m.setTl(c.t, TF_FOLIO, f);
      if (m.notes) m.say(`private folio ${f} read from slot ${slot}: value ${m.folioData(f)}`);
      if (m.events) m.event({ kind: 'read', slot, folio: f, value: m.folioData(f), holdsHasCache: false });
      return next.bypassed;
    },
  });
}
