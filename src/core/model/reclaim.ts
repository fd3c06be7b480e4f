/**
 * Reclaim of one page's folio (mm/vmscan.c shrink_folio_list), reference §4.1 O1-O6: trylock,
 * add_to_swap through the scenario's slot allocator, try_to_unmap (anon) or shmem_writeout (shmem),
 * pageout, and __remove_mapping, whose reference freeze fails while any other thread holds a reference.
 * The slot allocator is a branch of the search when the scenario says `any-free`, so slot reuse (the
 * ABA) is found, never scripted.
 */
import type { KernelFeatures } from '../kernels/versions';
import { freeIfUnused, putFolio } from './folios';
import {
  DEV_CURSOR, DEV_WRITEOK, FOLIO_DIRTY, FOLIO_SWAPCACHE, FOLIO_WRITEBACK, Machine, NONE, SLOT_HAS_CACHE, SLOT_ZSWAP, T_PINNED,
  TF_ENTRY, TF_FOLIO, isPresentPte, presentPte, pteFolio, swapPte,
} from './state';
import { DONE, NEXT, Path, StepCtx } from './step';
import { checkDeviceAlive, deleteFromSwapCache, dropHasCache } from './swap_map';

const P = 'shrink_folio_list';

/**
 * Slots get_swap_pages may hand out now: free and not parked in slots_ret. Every slot is read (the
 * step's footprint must cover whatever could change the allocator's answer), nothing is allocated.
 */
function allocatableCount(m: Machine): number {
  let n = 0;
  for (let s = 0; s < m.layout.sizes.slots; s++) if (m.count(s) === 0 && m.slotFlags(s) === 0) n++;
  return n;
}

/** The slot the allocator returns for `choice` (only `any-free` has more than one choice), or -1. */
function pickSlot(m: Machine, c: StepCtx, choice: number): number {
  const cursor = c.device.allocator === 'next-fit' ? m.dev(DEV_CURSOR) : 0;
  let first = -1;
  let picked = -1;
  const reads = m.beginScan();
  for (let s = 0, k = 0; s < m.layout.sizes.slots; s++) {
    if (m.count(s) !== 0 || m.slotFlags(s) !== 0) continue;
    if (first < 0) first = s;
    if (picked < 0 && (c.device.allocator === 'any-free' ? k === choice : s >= cursor)) picked = s;
    k++;
  }
  m.endScan(reads);
  return picked >= 0 ? picked : first;
}

function keep(m: Machine, c: StepCtx): string {
  const f = m.tl(c.t, TF_FOLIO);
  m.setLockOwner(f, NONE);
  putFolio(m, f);
  m.setTl(c.t, TF_FOLIO, NONE);
  return DONE;
}

export function addReclaim(path: Path, k: KernelFeatures): void {
  const allocationCachesFolio = k.allocInsertsIntoCache;

  path.add({
    id: 'shrink_folio_list.trylock',
    fn: P,
    point: 'folio_trylock',
    summary: 'pick the page\'s folio off the LRU and trylock it; a locked or absent folio is skipped',
    run(m, c) {
      const v = m.pte(c.page(m));
      if (!isPresentPte(v)) {
        if (m.notes) m.say(`${c.pages[c.page(m)].name} is not resident: nothing to reclaim`);
        return DONE;
      }
      const f = pteFolio(v);
      if (m.lockOwner(f) !== NONE) {
        if (m.notes) m.say(`folio ${f} is locked: skip it`);
        return DONE;
      }
      m.setLockOwner(f, c.t);
      m.setFolioRefs(f, m.folioRefs(f) + 1);
      m.setTl(c.t, TF_FOLIO, f);
      if (m.folioHas(f, FOLIO_SWAPCACHE)) {
        m.setTl(c.t, TF_ENTRY, m.folioSwap(f));
        return c.pages[c.page(m)].kind === 'shmem' ? 'shmem_writeout.move_to_swap' : 'try_to_unmap.unmap';
      }
      return NEXT;
    },
  });

  path.add({
    id: 'add_to_swap.get_swap_pages',
    fn: 'folio_alloc_swap',
    point: 'get_swap_pages',
    summary: allocationCachesFolio
      ? 'allocate a slot and insert the folio into the swap cache in one cluster-lock section'
      : 'allocate a slot (swap_map = SWAP_HAS_CACHE) with the scenario\'s allocator',
    branches: (m, c) => (c.device.allocator === 'any-free' && m.dev(DEV_WRITEOK) ? Math.max(1, allocatableCount(m)) : 1),
    run(m, c, choice) {
      const slot = m.dev(DEV_WRITEOK) ? pickSlot(m, c, choice) : -1;
      if (slot < 0) {
        if (m.notes) m.say('no swap slot available: keep the folio');
        return keep(m, c);
      }
      m.setDev(DEV_CURSOR, (slot + 1) % m.layout.sizes.slots);
      m.setSlotFlags(slot, SLOT_HAS_CACHE);
      m.setTl(c.t, TF_ENTRY, slot);
      if (m.notes) m.say(`allocated slot ${slot}`);
      if (m.events) m.event({ kind: 'allocated', slot });
      if (allocationCachesFolio) return insertIntoCache(m, c);
      m.setTflag(c.t, T_PINNED, true);
      return NEXT;
    },
  });

  if (!allocationCachesFolio) {
    path.add({
      id: 'add_to_swap.add_to_swap_cache',
      fn: 'add_to_swap',
      point: 'add_to_swap_cache',
      summary: 'the folio enters the swap cache for the new slot and is marked dirty',
      run(m, c) {
        m.setTflag(c.t, T_PINNED, false);
        return insertIntoCache(m, c);
      },
    });
  }

  path.add({
    id: 'try_to_unmap.unmap',
    fn: 'try_to_unmap_one',
    point: 'set_pte_at',
    summary: 'under the PTL, every PTE mapping the folio becomes swap(slot); swap_duplicate per PTE',
    enabled(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      return c.pages.every((pg, q) => pg.kind !== 'anon' || m.pte(q) !== presentPte(f) || m.ptlFree(pg.mm));
    },
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      const slot = m.tl(c.t, TF_ENTRY);
      c.pages.forEach((pg, q) => {
        if (pg.kind !== 'anon' || m.pte(q) !== presentPte(f)) return;
        m.setCount(slot, m.count(slot) + 1);
        m.setPte(q, swapPte(slot));
        m.setFolioUsers(f, m.folioUsers(f) - 1);
        if (m.notes) m.say(`${pg.name}: PTE -> swap(slot ${slot}), count ${m.count(slot)}`);
      });
      return 'pageout.swap_writepage';
    },
  });

  path.add({
    id: 'shmem_writeout.move_to_swap',
    fn: 'shmem_writeout',
    point: 'shmem_delete_from_page_cache',
    summary: 'shmem: swap_shmem_alloc and replace the folio in the mapping with the swap entry',
    run(m, c) {
      const p = c.page(m);
      const f = m.tl(c.t, TF_FOLIO);
      const slot = m.tl(c.t, TF_ENTRY);
      if (m.pte(p) === presentPte(f)) {
        m.setCount(slot, m.count(slot) + 1);
        m.setPte(p, swapPte(slot));
        m.setFolioUsers(f, m.folioUsers(f) - 1);
        if (m.notes) m.say(`${c.pages[p].name}: mapping -> swap(slot ${slot})`);
      }
      return NEXT;
    },
  });

  path.add({
    id: 'pageout.swap_writepage',
    fn: 'pageout',
    point: 'swap_writepage',
    summary: 'write a dirty folio to its slot (zswap_store when zswap is on); a synchronous device or zswap completes at once',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      if (!m.folioHas(f, FOLIO_DIRTY)) return '__remove_mapping.freeze';
      if (!checkDeviceAlive(m, 'swap_writepage')) return NEXT;
      m.folioSet(f, FOLIO_DIRTY, false);
      if (c.device.synchronous || c.device.zswap) {
        completeWrite(m, c, f);
        return '__remove_mapping.freeze';
      }
      // Asynchronous I/O: PG_writeback is set and swap_writepage unlocks the folio; reclaim keeps it
      // and finds it again on a later pass, after the write completed.
      m.folioSet(f, FOLIO_WRITEBACK, true);
      m.setLockOwner(f, NONE);
      if (m.notes) m.say(`folio ${f}: writeback to slot ${m.tl(c.t, TF_ENTRY)} submitted, folio unlocked`);
      return NEXT;
    },
  });

  path.add({
    id: 'pageout.end_writeback',
    fn: 'folio_end_writeback',
    point: 'end_swap_bio_write',
    summary: 'I/O completion: the slot now holds the data and PG_writeback is cleared',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      completeWrite(m, c, f);
      m.folioSet(f, FOLIO_WRITEBACK, false);
      return NEXT;
    },
  });

  path.add({
    id: 'shrink_folio_list.relock',
    fn: P,
    point: 'folio_trylock',
    summary: 'a later reclaim pass trylocks the written-back folio; it must still be a clean swap-cache folio',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      if (m.lockOwner(f) !== NONE) {
        m.setFolioRefs(f, m.folioRefs(f) - 1);
        freeIfUnused(m, f);
        m.setTl(c.t, TF_FOLIO, NONE);
        if (m.notes) m.say(`folio ${f} is locked: skip it`);
        return DONE;
      }
      m.setLockOwner(f, c.t);
      if (!m.folioHas(f, FOLIO_SWAPCACHE) || m.folioSwap(f) !== m.tl(c.t, TF_ENTRY)) return keep(m, c);
      return NEXT;
    },
  });

  path.add({
    id: '__remove_mapping.freeze',
    fn: '__remove_mapping',
    point: 'folio_ref_freeze',
    summary: 'under xa_lock, freeze the refcount (fails if anyone else holds a reference) and leave the swap cache',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      if (m.folioRefs(f) !== 1 || m.folioUsers(f) !== 0 || m.folioHas(f, FOLIO_DIRTY)) {
        if (m.notes) m.say(`folio ${f} is still referenced: keep it in the swap cache`);
        return keep(m, c);
      }
      deleteFromSwapCache(m, f);
      if (!allocationCachesFolio) {
        m.setTflag(c.t, T_PINNED, true);
        if (m.notes) m.say(`folio ${f} left the swap cache (HAS_CACHE still set)`);
        return NEXT;
      }
      dropHasCache(m, c, m.tl(c.t, TF_ENTRY));
      return 'shrink_folio_list.free_folio';
    },
  });

  if (!allocationCachesFolio) {
    path.add({
      id: '__remove_mapping.put_swap_folio',
      fn: '__remove_mapping',
      point: 'put_swap_folio',
      summary: 'drop SWAP_HAS_CACHE; the slot is freed if its count is zero',
      run(m, c) {
        dropHasCache(m, c, m.tl(c.t, TF_ENTRY));
        m.setTflag(c.t, T_PINNED, false);
        return NEXT;
      },
    });
  }

  path.add({
    id: 'shrink_folio_list.free_folio',
    fn: P,
    point: 'free_folio',
    summary: 'unlock and free the folio',
    run(m, c) {
      return keep(m, c);
    },
  });
}

function completeWrite(m: Machine, c: StepCtx, f: number): void {
  const slot = m.tl(c.t, TF_ENTRY);
  m.setSlotData(slot, m.folioData(f));
  if (c.device.zswap) m.setSlotFlags(slot, m.slotFlags(slot) | SLOT_ZSWAP);
  if (m.notes) m.say(`slot ${slot} now holds value ${m.folioData(f)}${c.device.zswap ? ' (in zswap)' : ''}`);
}

function insertIntoCache(m: Machine, c: StepCtx): string {
  const f = m.tl(c.t, TF_FOLIO);
  const slot = m.tl(c.t, TF_ENTRY);
  m.setCacheFolio(slot, f);
  m.folioSet(f, FOLIO_SWAPCACHE, true);
  m.folioSet(f, FOLIO_DIRTY, true);
  m.setFolioSwap(f, slot);
  if (m.notes) m.say(`folio ${f} added to the swap cache for slot ${slot}`);
  return c.pages[c.page(m)].kind === 'shmem' ? 'shmem_writeout.move_to_swap' : 'try_to_unmap.unmap';
}
