/**
 * swapoff (mm/swapfile.c try_to_unuse and unuse_pte), reference §7.1 U0-U6. Every page that still
 * names a slot is swapped in through the swap cache and installed by unuse_pte; shmem pages go through
 * the same steps (shmem_unuse installs into the mapping under xa_lock instead of the PTL). Then the
 * remaining cache-only slots are dropped, and swapoff waits for every get_swap_device holder (C1)
 * before freeing swap_map.
 */
import type { KernelFeatures } from '../kernels/versions';
import { getFolio, lockFree } from './folios';
import { addNonFaultBypass, addReadSwapCacheAsync, addSwapinFolio, releaseFolio, swapCacheLookup } from './read_swap_cache';
import {
  DEV_GONE, DEV_USERS, DEV_USERS_KILLED, DEV_WRITEOK, FOLIO_SWAPCACHE, FOLIO_WRITEBACK, Machine, NONE, T_MMAP_READ, TF_AUX, TF_AUX2,
  TF_ENTRY, TF_FOLIO, TF_ORIG, isSwapPte, presentPte, pteSlot,
} from './state';
import { DONE, NEXT, Path, StepCtx } from './step';
import { flushSlotsRet, folioFreeSwap, swapFree } from './swap_map';

const NEXT_PAGE = 'try_to_unuse.next_page';
const NEXT_SLOT = 'try_to_unuse.next_slot';

function slotInUse(m: Machine, s: number): boolean {
  return m.count(s) > 0 || m.hasCache(s);
}

/**
 * Drops the read hold on the page being unused, if there is one. The page is TF_AUX's until the hold is
 * dropped: every step that moves TF_AUX on (free_swap) or back (check_inuse, which no hold reaches) drops it
 * first; a hold on a page without one is a model error, not a state.
 */
function dropUnuseHold(m: Machine, c: StepCtx): void {
  if (!m.tflag(c.t, T_MMAP_READ)) return;
  const q = m.tl(c.t, TF_AUX);
  if (m.vmaReaders(q) === 0) throw new Error(`swapoff leaves page ${c.pages[q]?.name} without holding it`);
  m.setTflag(c.t, T_MMAP_READ, false);
  m.setVmaReaders(q, m.vmaReaders(q) - 1);
}

export function addSwapoff(path: Path, k: KernelFeatures): void {
  path.add({
    id: 'swapoff.disable',
    fn: 'swapoff',
    point: 'SWP_WRITEOK',
    summary: 'find the device among those still SWP_WRITEOK (else -EINVAL) and clear it: no new allocations; drain the slot caches',
    run(m, c) {
      // sys_swapoff looks the device up, under swap_lock, among the SWP_WRITEOK ones only, and clears the
      // flag in the same critical section: a second swapoff, during or after the first, gets -EINVAL.
      if (!m.dev(DEV_WRITEOK)) {
        if (m.notes) m.say('the device is no longer SWP_WRITEOK (another swapoff has it): -EINVAL');
        return DONE;
      }
      m.setDev(DEV_WRITEOK, 0);
      flushSlotsRet(m, c);
      m.setTl(c.t, TF_AUX, 0);
      return NEXT;
    },
  });

  path.add({
    id: NEXT_PAGE,
    fn: 'try_to_unuse',
    point: 'unuse_mm',
    summary: 'walk the pages (lockless PTE / mapping reads) to the next one that names a slot; an anon page\'s mm is read-locked (unuse_mm) while it is unused',
    run(m, c) {
      for (let q = m.tl(c.t, TF_AUX); q < c.pages.length; q++) {
        const v = m.pte(q);
        if (!isSwapPte(v)) continue;
        m.setTl(c.t, TF_AUX, q);
        m.setTl(c.t, TF_ORIG, v);
        m.setTl(c.t, TF_ENTRY, pteSlot(v));
        if (c.pages[q].kind === 'anon') {
          m.setTflag(c.t, T_MMAP_READ, true);
          m.setVmaReaders(q, m.vmaReaders(q) + 1);
        }
        if (m.notes) m.say(`unuse ${c.pages[q].name}: swap(slot ${pteSlot(v)})`);
        return NEXT;
      }
      m.setTl(c.t, TF_AUX2, 0);
      return NEXT_SLOT;
    },
    // unuse_mm holds the mm's mmap_lock for read over its walk, so a fork of the mm waits; the model holds it
    // per page, from picking the page until the walk comes back here (never less than the kernel allows).
    entered: dropUnuseHold,
  });

  path.add(swapCacheLookup('unuse_pte_range.swap_cache_lookup', 'unuse_pte_range', 'unuse_pte_range.folio_lock'));
  if (k.shmemSwapin === 'bypass-unpinned') {
    addNonFaultBypass(path, k, 'swapin_page_non_fault', { bypassed: 'unuse_pte_range.folio_lock', cached: '__read_swap_cache_async.lookup' }, false);
  }
  if (k.anonDirect === 'none') addSwapinFolio(path, 'unuse_pte_range.folio_lock', 'unuse_pte_range.no_folio');
  else addReadSwapCacheAsync(path, { k }, 'unuse_pte_range.folio_lock', 'unuse_pte_range.no_folio');

  path.add({
    id: 'unuse_pte_range.no_folio',
    fn: 'unuse_pte_range',
    point: 'no_folio',
    summary: 'no folio: a slot with count 0 is skipped (look at the page again); otherwise -ENOMEM',
    run(m, c) {
      if (m.count(m.tl(c.t, TF_ENTRY)) > 0) {
        m.violate('fault-completes', 'swapoff failed with -ENOMEM: no folio for a live slot');
      }
      return NEXT_PAGE;
    },
  });

  path.add({
    id: 'unuse_pte_range.folio_lock',
    fn: 'unuse_pte_range',
    point: 'folio_lock',
    summary: 'lock the folio and wait for writeback',
    enabled: (m, c) => lockFree(m, m.tl(c.t, TF_FOLIO), c.t) && !m.folioHas(m.tl(c.t, TF_FOLIO), FOLIO_WRITEBACK),
    run(m, c) {
      m.setLockOwner(m.tl(c.t, TF_FOLIO), c.t);
      return NEXT;
    },
  });

  if (k.unuseMatchCheck) {
    path.add({
      id: 'unuse_pte.folio_matches_swap_entry',
      fn: 'unuse_pte',
      point: 'folio_matches_swap_entry',
      summary: 'the locked folio must still cache this entry',
      run(m, c) {
        const f = m.tl(c.t, TF_FOLIO);
        if (!m.folioHas(f, FOLIO_SWAPCACHE) || m.folioSwap(f) !== m.tl(c.t, TF_ENTRY)) {
          releaseFolio(m, c.t);
          return NEXT_PAGE;
        }
        return NEXT;
      },
    });
  }

  path.add({
    id: 'unuse_pte.set_pte',
    fn: 'unuse_pte',
    point: 'set_pte_at',
    summary: 'under the PTL (xa_lock for shmem): if the PTE still names the slot, map the folio and swap_free',
    enabled(m, c) {
      const pg = c.pages[c.page(m)];
      return pg.kind === 'shmem' || m.ptlFree(pg.mm);
    },
    run(m, c) {
      const p = c.page(m);
      const f = m.tl(c.t, TF_FOLIO);
      if (m.pte(p) !== m.tl(c.t, TF_ORIG)) return NEXT;
      m.setPte(p, presentPte(f));
      m.setFolioUsers(f, m.folioUsers(f) + 1);
      const data = m.folioData(f);
      const latest = m.latest(p);
      if (data !== latest) {
        m.violate('no-stale-install', `swapoff mapped folio ${f} holding value ${data} into ${c.pages[p].name}, latest is ${latest}`);
      }
      swapFree(m, c, m.tl(c.t, TF_ENTRY));
      if (m.notes) m.say(`${c.pages[p].name} now maps folio ${f}`);
      if (m.events) m.event({ kind: 'installed', page: c.pages[p].name, folio: f, value: data });
      return NEXT;
    },
  });

  path.add({
    id: 'unuse_pte_range.free_swap',
    fn: 'unuse_pte_range',
    point: 'folio_free_swap',
    summary: 'drop the folio from the swap cache, unlock and put it; go on with the next page',
    run(m, c) {
      folioFreeSwap(m, c, m.tl(c.t, TF_FOLIO));
      releaseFolio(m, c.t);
      dropUnuseHold(m, c);
      m.setTl(c.t, TF_AUX, m.tl(c.t, TF_AUX) + 1);
      return NEXT_PAGE;
    },
  });

  path.add({
    id: NEXT_SLOT,
    fn: 'try_to_unuse',
    point: 'find_next_to_unuse',
    summary: 'scan swap_map for slots still in use and take a reference on their cache folio',
    run(m, c) {
      for (let s = m.tl(c.t, TF_AUX2); s < m.layout.sizes.slots; s++) {
        const f = m.cacheFolio(s);
        if (!slotInUse(m, s) || f === NONE) continue;
        getFolio(m, f);
        m.setTl(c.t, TF_FOLIO, f);
        m.setTl(c.t, TF_AUX2, s);
        return 'try_to_unuse.folio_lock';
      }
      return 'try_to_unuse.check_inuse';
    },
  });

  path.add({
    id: 'try_to_unuse.folio_lock',
    fn: 'try_to_unuse',
    point: 'folio_lock',
    summary: 'lock the cache folio and wait for writeback',
    enabled: (m, c) => lockFree(m, m.tl(c.t, TF_FOLIO), c.t) && !m.folioHas(m.tl(c.t, TF_FOLIO), FOLIO_WRITEBACK),
    run(m, c) {
      m.setLockOwner(m.tl(c.t, TF_FOLIO), c.t);
      return NEXT;
    },
  });

  path.add({
    id: 'try_to_unuse.free_swap',
    fn: 'try_to_unuse',
    point: 'folio_free_swap',
    summary: 'folio_free_swap, unlock, put',
    run(m, c) {
      folioFreeSwap(m, c, m.tl(c.t, TF_FOLIO));
      releaseFolio(m, c.t);
      m.setTl(c.t, TF_AUX2, m.tl(c.t, TF_AUX2) + 1);
      return NEXT_SLOT;
    },
  });

  path.add({
    id: 'try_to_unuse.check_inuse',
    fn: 'try_to_unuse',
    point: 'inuse_pages',
    summary: 'any slot still in use: start over',
    run(m, c) {
      for (let s = 0; s < m.layout.sizes.slots; s++) {
        if (slotInUse(m, s)) {
          m.setTl(c.t, TF_AUX, 0);
          return NEXT_PAGE;
        }
      }
      return NEXT;
    },
  });

  if (k.getSwapDevice) {
    path.add({
      id: 'swapoff.kill_users',
      fn: 'swapoff',
      point: 'percpu_ref_kill',
      summary: 'kill si->users: get_swap_device fails from now on',
      run(m) {
        m.setDev(DEV_USERS_KILLED, 1);
        return NEXT;
      },
    });
    path.add({
      id: 'swapoff.wait_users',
      fn: 'swapoff',
      point: 'wait_for_completion',
      summary: 'wait until every get_swap_device holder has put its reference',
      enabled: (m) => m.dev(DEV_USERS) === 0,
      run: () => NEXT,
    });
  }

  path.add({
    id: 'swapoff.free_swap_map',
    fn: 'swapoff',
    point: 'free_swap_map',
    summary: 'free swap_map and the device\'s structures',
    run(m: Machine, _c: StepCtx) {
      m.setDev(DEV_GONE, 1);
      if (m.events) m.event({ kind: 'deviceFreed' });
      return DONE;
    },
  });
}
