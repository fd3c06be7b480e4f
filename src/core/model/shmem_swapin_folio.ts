/**
 * shmem_swapin_folio (mm/shmem.c), reference §6: H0-H8 through the swap cache (v6.7), the Nov 2023
 * bypass proposal without a pin (patch 18/24, S4), the v6.14 direct path pinned with swapcache_prepare
 * (C8, B1-B4), and v7.0's swap cache only. The mapping slot i_pages[index] is the page's "PTE" here;
 * shmem_confirm_swap is a lockless load of it, shmem_add_to_page_cache a compare-and-store under xa_lock.
 */
import type { KernelFeatures } from '../kernels/versions';
import { allocFolio, lockFree, putFolio } from './folios';
import { addNonFaultBypass, addReadSwapCacheAsync, addSwapinFolio, releaseFolio, swapCacheLookup } from './read_swap_cache';
import {
  DEV_USERS, DEV_USERS_KILLED, FOLIO_SWAPCACHE, FOLIO_UPTODATE, FOLIO_DIRTY, FOLIO_WRITEBACK, Machine, NONE, T_HOLDS_DEVICE,
  T_PINNED, T_REF_OWED, T_SWAPCACHE, TF_ENTRY, TF_FOLIO, TF_ORIG, presentPte, swapPte,
} from './state';
import { Exits, NEXT, Path, StepCtx } from './step';
import { deleteFromSwapCache, dropHasCache, readSlot, swapFree, swapcachePrepare, OK } from './swap_map';

const P = 'shmem_swapin_folio';

function confirmSwap(m: Machine, c: StepCtx): boolean {
  return m.pte(c.page(m)) === swapPte(m.tl(c.t, TF_ENTRY));
}

/** Failure exit: -EEXIST makes shmem_get_folio_gfp retry; a held pin is cleared first (C8). */
function fail(m: Machine, c: StepCtx): string {
  releaseFolio(m, c.t);
  return m.tflag(c.t, T_PINNED) ? 'shmem_swapin_folio.failed_swapcache_clear' : 'shmem_swapin_folio.put_swap_device';
}

export function addShmemSwapinFolio(path: Path, k: KernelFeatures, exits: Exits): void {
  if (k.getSwapDevice) {
    path.add({
      id: 'shmem_swapin_folio.get_swap_device',
      fn: P,
      point: 'get_swap_device',
      summary: 'take a si->users reference; failure (swapoff) makes the caller retry',
      run(m, c) {
        if (m.dev(DEV_USERS_KILLED)) return exits.retry;
        m.setDev(DEV_USERS, m.dev(DEV_USERS) + 1);
        m.setTflag(c.t, T_HOLDS_DEVICE, true);
        return NEXT;
      },
    });
  }

  const cacheStart = k.shmemSwapin === 'none' ? 'swapin_folio.insert' : '__read_swap_cache_async.lookup';
  path.add(swapCacheLookup('shmem_swapin_folio.swap_cache_lookup', P, 'shmem_swapin_folio.folio_lock'));

  if (k.shmemSwapin === 'bypass-unpinned') {
    addNonFaultBypass(path, k, P, { bypassed: 'shmem_swapin_folio.folio_lock', cached: cacheStart }, true);
  }

  if (k.shmemSwapin === 'direct-pinned') {
    path.add({
      id: 'shmem_swapin_folio.skip_swapcache_check',
      fn: P,
      point: 'SWP_SYNCHRONOUS_IO',
      summary: 'on a miss from a synchronous device, skip the swap cache (order 0, no count check)',
      run: (_m, c) => (c.device.synchronous ? NEXT : cacheStart),
    });
    path.add({
      id: 'shmem_swap_alloc_folio.swapcache_prepare',
      fn: 'shmem_swap_alloc_folio',
      point: 'swapcache_prepare',
      summary: 'allocate a folio and pin the slot; failure returns -EEXIST and the caller retries',
      run(m, c) {
        const slot = m.tl(c.t, TF_ENTRY);
        if (swapcachePrepare(m, slot) !== OK) {
          if (m.notes) m.say(`swapcache_prepare(slot ${slot}) failed: -EEXIST`);
          return 'shmem_swapin_folio.put_swap_device';
        }
        m.setTflag(c.t, T_PINNED, true);
        const f = allocFolio(m, 0, c.t);
        m.setFolioSwap(f, slot);
        m.setTl(c.t, TF_FOLIO, f);
        if (m.notes) m.say(`swapcache_prepare(slot ${slot}) = 0: pinned, private folio ${f}`);
        return NEXT;
      },
    });
    path.add({
      id: 'shmem_swap_alloc_folio.swap_read',
      fn: 'shmem_swap_alloc_folio',
      point: 'swap_read_folio',
      summary: 'synchronous read of the slot into the private folio',
      run(m, c) {
        const f = m.tl(c.t, TF_FOLIO);
        const slot = m.tl(c.t, TF_ENTRY);
        m.setFolioData(f, readSlot(m, slot, k.zswapExclusiveOnBypass, 'private'));
        m.folioSet(f, FOLIO_UPTODATE, true);
        m.setLockOwner(f, NONE);
        if (m.notes) m.say(`private folio ${f} read from slot ${slot}: value ${m.folioData(f)}`);
        if (m.events) m.event({ kind: 'read', slot, folio: f, value: m.folioData(f), holdsHasCache: m.tflag(c.t, T_PINNED) });
        return 'shmem_swapin_folio.folio_lock';
      },
    });
  }

  if (k.shmemSwapin === 'none') addSwapinFolio(path, 'shmem_swapin_folio.folio_lock', 'shmem_swapin_folio.no_folio');
  else addReadSwapCacheAsync(path, { k }, 'shmem_swapin_folio.folio_lock', 'shmem_swapin_folio.no_folio');

  path.add({
    id: 'shmem_swapin_folio.no_folio',
    fn: P,
    point: 'failed',
    summary: 'no folio: -EEXIST (the caller retries) if the mapping changed, else -ENOMEM',
    run(m, c) {
      // As in do_swap_page's D5, a freed-and-reused slot can make the mapping compare equal again; the
      // model retries either way (a read(2) would see -ENOMEM: noted, not flagged).
      if (m.notes) m.say(confirmSwap(m, c) ? 'mapping unchanged: -ENOMEM' : 'mapping changed: -EEXIST, retry');
      return fail(m, c);
    },
  });

  path.add({
    id: 'shmem_swapin_folio.folio_lock',
    fn: P,
    point: 'folio_lock',
    summary: 'lock the folio (waits while another thread holds it)',
    enabled: (m, c) => lockFree(m, m.tl(c.t, TF_FOLIO), c.t),
    run(m, c) {
      m.setLockOwner(m.tl(c.t, TF_FOLIO), c.t);
      return NEXT;
    },
  });

  path.add({
    id: 'shmem_swapin_folio.recheck',
    fn: P,
    point: 'shmem_confirm_swap',
    summary: 'the folio must still cache this entry (unless it skipped the cache) and the mapping still hold it',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      const slot = m.tl(c.t, TF_ENTRY);
      const skippedCache = !m.tflag(c.t, T_SWAPCACHE);
      const cacheOk = !k.cacheRecheck || skippedCache || m.folioHas(f, FOLIO_SWAPCACHE);
      if (!cacheOk || m.folioSwap(f) !== slot || !confirmSwap(m, c)) {
        if (m.notes) m.say(`recheck fails (folio ${f}, slot ${slot}): -EEXIST`);
        if (m.events) m.event({ kind: 'check', check: 'shmem_confirm_swap', passed: false });
        return fail(m, c);
      }
      return NEXT;
    },
  });

  path.add({
    id: 'shmem_swapin_folio.add_to_page_cache',
    fn: 'shmem_add_to_page_cache',
    point: 'xas_store',
    summary: 'once no writeback is in flight (folio_wait_writeback), under xa_lock, store the folio if the mapping slot still holds the expected swap entry',
    // H5's wait, with the folio locked: nothing can start another writeback meanwhile (pageout needs the
    // lock), so waiting here and then doing H6 at once loses no interleaving. Without it the folio would
    // leave the swap cache and free its slot while the write to that slot is still in flight.
    enabled: (m, c) => !m.folioHas(m.tl(c.t, TF_FOLIO), FOLIO_WRITEBACK),
    run(m, c) {
      const p = c.page(m);
      const f = m.tl(c.t, TF_FOLIO);
      if (m.pte(p) !== m.tl(c.t, TF_ORIG)) {
        if (m.notes) m.say('shmem_add_to_page_cache: mapping changed: -EEXIST');
        if (m.events) m.event({ kind: 'check', check: 'shmem_add_to_page_cache', passed: false });
        return fail(m, c);
      }
      m.setPte(p, presentPte(f));
      m.setFolioUsers(f, m.folioUsers(f) + 1);
      m.setTflag(c.t, T_REF_OWED, true);
      const data = m.folioData(f);
      const latest = m.latest(p);
      if (m.events) m.event({ kind: 'check', check: 'shmem_add_to_page_cache', passed: true });
      if (m.notes) m.say(`${c.pages[p].name} now holds folio ${f} (value ${data})`);
      if (m.events) m.event({ kind: 'installed', page: c.pages[p].name, folio: f, value: data });
      if (data !== latest) {
        m.violate('no-stale-install', `${c.pages[p].name} got folio ${f} holding value ${data}, but the latest value written is ${latest}`);
      }
      if (!m.tflag(c.t, T_SWAPCACHE)) {
        m.setFolioSwap(f, NONE);
        return m.tflag(c.t, T_PINNED) ? 'shmem_swapin_folio.swapcache_clear' : 'shmem_swapin_folio.swap_free';
      }
      return NEXT;
    },
  });

  path.add({
    id: 'shmem_swapin_folio.delete_from_swap_cache',
    fn: P,
    point: 'delete_from_swap_cache',
    summary: 'take the folio out of the swap cache and drop SWAP_HAS_CACHE (put_swap_folio)',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      const slot = deleteFromSwapCache(m, f);
      dropHasCache(m, c, slot);
      m.folioSet(f, FOLIO_DIRTY, true);
      return 'shmem_swapin_folio.swap_free';
    },
  });

  if (k.shmemSwapin === 'direct-pinned') {
    path.add({
      id: 'shmem_swapin_folio.swapcache_clear',
      fn: P,
      point: 'swapcache_clear',
      summary: 'the direct path clears its pin before swap_free',
      run(m, c) {
        dropHasCache(m, c, m.tl(c.t, TF_ENTRY));
        m.setTflag(c.t, T_PINNED, false);
        return NEXT;
      },
    });
  }

  path.add({
    id: 'shmem_swapin_folio.swap_free',
    fn: P,
    point: 'swap_free',
    summary: 'drop the mapping\'s reference on the slot; at zero the slot is freed',
    run(m, c) {
      const slot = m.tl(c.t, TF_ENTRY);
      swapFree(m, c, slot);
      m.setTflag(c.t, T_REF_OWED, false);
      if (m.notes) m.say(`swap_free(slot ${slot}): count now ${m.count(slot)}`);
      return NEXT;
    },
  });

  path.add({
    id: 'shmem_swapin_folio.unlock',
    fn: 'shmem_get_folio_gfp',
    point: 'folio_unlock',
    summary: 'the caller unlocks the folio and drops its reference; the access is retried',
    run(m, c) {
      const f = m.tl(c.t, TF_FOLIO);
      m.setLockOwner(f, NONE);
      putFolio(m, f);
      m.setTl(c.t, TF_FOLIO, NONE);
      return 'shmem_swapin_folio.put_swap_device';
    },
  });

  if (k.shmemSwapin === 'direct-pinned') {
    path.add({
      id: 'shmem_swapin_folio.failed_swapcache_clear',
      fn: P,
      point: 'swapcache_clear',
      summary: 'failure path: clear the pin',
      run(m, c) {
        dropHasCache(m, c, m.tl(c.t, TF_ENTRY));
        m.setTflag(c.t, T_PINNED, false);
        return 'shmem_swapin_folio.put_swap_device';
      },
    });
  }

  if (k.getSwapDevice) {
    path.add({
      id: 'shmem_swapin_folio.put_swap_device',
      fn: P,
      point: 'put_swap_device',
      summary: 'drop the si->users reference',
      run(m, c) {
        m.setDev(DEV_USERS, m.dev(DEV_USERS) - 1);
        m.setTflag(c.t, T_HOLDS_DEVICE, false);
        m.setTflag(c.t, T_SWAPCACHE, false);
        return exits.retry;
      },
    });
  } else {
    path.alias('shmem_swapin_folio.put_swap_device', exits.retry);
  }
}
