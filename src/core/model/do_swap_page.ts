/**
 * do_swap_page (mm/memory.c), reference §2 (D0-D20) and §5 (C2), §8 (C14, C15).
 * The swap-cache path holds the folio lock from D6 to D17; the direct ("skip swapcache") path holds
 * only a private folio, and from v6.8 (13ddaf26be32) a SWAP_HAS_CACHE pin taken by swapcache_prepare,
 * cleared after the PTL is dropped. v7.0 never skips the swap cache.
 */
import type { KernelFeatures } from '../kernels/versions';
import { allocFolio, lockFree } from './folios';
import { addReadSwapCacheAsync, addSwapinFolio, releaseFolio, swapCacheLookup } from './read_swap_cache';
import {
  DEV_USERS, DEV_USERS_KILLED, FOLIO_SWAPCACHE, FOLIO_UPTODATE, Machine, NONE, T_HOLDS_DEVICE, T_PINNED,
  T_REF_DROPPED, T_SWAPCACHE, TF_ENTRY, TF_FOLIO, TF_ORIG, presentPte,
} from './state';
import { Exits, NEXT, Path, StepCtx } from './step';
import {
  checkDeviceAlive, dropHasCache, folioFreeSwap, readSlot, swapFree, swapcachePrepare, OK,
} from './swap_map';

const P = 'do_swap_page';

/** `out:` clears the direct-swapin pin (v6.8+) before dropping the device reference. */
function out(m: Machine, c: StepCtx): string {
  return m.tflag(c.t, T_PINNED) ? 'do_swap_page.swapcache_clear' : 'do_swap_page.put_swap_device';
}

/** should_try_to_free_swap: swap is full, or a write fault holds the only other reference. */
function shouldTryToFreeSwap(m: Machine, c: StepCtx, f: number): boolean {
  return c.device.swapFull || (c.write && m.folioRefs(f) === 1 && m.folioUsers(f) === 0);
}

export function addDoSwapPage(path: Path, k: KernelFeatures, exits: Exits): void {
  const mmOf = (m: Machine, c: StepCtx) => c.pages[c.page(m)].mm;

  if (k.getSwapDevice) {
    path.add({
      id: 'do_swap_page.get_swap_device',
      fn: P,
      point: 'get_swap_device',
      summary: 'take a si->users reference; fails once swapoff has killed it',
      run(m, c) {
        if (m.dev(DEV_USERS_KILLED)) {
          if (m.notes) m.say('get_swap_device failed: swapoff in progress');
          return exits.retry;
        }
        m.setDev(DEV_USERS, m.dev(DEV_USERS) + 1);
        m.setTflag(c.t, T_HOLDS_DEVICE, true);
        return NEXT;
      },
    });
  }

  path.add(swapCacheLookup('do_swap_page.swap_cache_lookup', P, 'do_swap_page.folio_lock'));

  if (k.anonDirect !== 'none') {
    path.add({
      id: 'do_swap_page.swap_count_check',
      fn: P,
      point: '__swap_count',
      summary: 'SWP_SYNCHRONOUS_IO and __swap_count(entry) == 1, read without a lock: take the direct path',
      run(m, c) {
        const slot = m.tl(c.t, TF_ENTRY);
        if (!checkDeviceAlive(m, '__swap_count')) return NEXT;
        const count = m.count(slot);
        if (c.device.synchronous && count === 1) {
          if (m.notes) m.say(`__swap_count(slot ${slot}) == 1 on a synchronous device: skip the swap cache`);
          return k.anonDirect === 'pinned' ? 'do_swap_page.swapcache_prepare' : 'do_swap_page.alloc_folio';
        }
        if (m.notes) m.say(`slot ${slot}: count ${count}${c.device.synchronous ? '' : ', asynchronous device'}: swap-cache path`);
        return '__read_swap_cache_async.lookup';
      },
    });

    if (k.anonDirect === 'pinned') {
      path.add({
        id: 'do_swap_page.swapcache_prepare',
        fn: P,
        point: 'swapcache_prepare',
        summary: 'pin the slot with SWAP_HAS_CACHE before reading; on failure sleep and re-fault',
        run(m, c) {
          const slot = m.tl(c.t, TF_ENTRY);
          if (swapcachePrepare(m, slot) !== OK) {
            if (m.notes) m.say(`swapcache_prepare(slot ${slot}) failed: someone else owns the slot`);
            return 'do_swap_page.pin_busy_wait';
          }
          m.setTflag(c.t, T_PINNED, true);
          if (m.notes) m.say(`swapcache_prepare(slot ${slot}) = 0: pinned`);
          return 'do_swap_page.alloc_folio';
        },
      });
      path.add({
        id: 'do_swap_page.pin_busy_wait',
        fn: P,
        point: k.pinBusyWait === 'sleep' ? 'schedule_timeout_uninterruptible' : 'swapcache_wq',
        summary:
          k.pinBusyWait === 'sleep'
            ? 'schedule_timeout_uninterruptible(1), then return and re-fault'
            : 'wait on swapcache_wq (woken by swapcache_clear, or one tick), then re-fault',
        run: (m, c) => out(m, c),
      });
    }

    path.add({
      id: 'do_swap_page.alloc_folio',
      fn: P,
      point: 'vma_alloc_folio',
      summary: 'direct path: allocate a private folio, locked, never in the swap cache',
      run(m, c) {
        const f = allocFolio(m, 0, c.t);
        m.setFolioSwap(f, m.tl(c.t, TF_ENTRY));
        m.setTl(c.t, TF_FOLIO, f);
        if (m.notes) m.say(`private folio ${f} allocated`);
        return NEXT;
      },
    });
    path.add({
      id: 'do_swap_page.swap_read',
      fn: P,
      point: 'swap_read_folio',
      summary: 'direct path: synchronous read of the slot into the private folio (folio->swap cleared after)',
      run(m, c) {
        const f = m.tl(c.t, TF_FOLIO);
        const slot = m.tl(c.t, TF_ENTRY);
        m.setFolioData(f, readSlot(m, slot, k.zswapExclusiveOnBypass, 'private'));
        m.folioSet(f, FOLIO_UPTODATE, true);
        m.setFolioSwap(f, NONE);
        m.setLockOwner(f, NONE);
        if (m.notes) m.say(`private folio ${f} read from slot ${slot}: value ${m.folioData(f)}`);
        if (m.events) m.event({ kind: 'read', slot, folio: f, value: m.folioData(f), holdsHasCache: m.tflag(c.t, T_PINNED) });
        return 'do_swap_page.folio_lock';
      },
    });
    addReadSwapCacheAsync(path, { k }, 'do_swap_page.folio_lock', 'do_swap_page.no_folio');
  } else {
    addSwapinFolio(path, 'do_swap_page.folio_lock', 'do_swap_page.no_folio');
  }

  path.add({
    id: 'do_swap_page.no_folio',
    fn: P,
    point: 'no_folio',
    summary: 'no folio: re-check the PTE under the PTL; unchanged means VM_FAULT_OOM, which the #PF handler retries',
    enabled: (m, c) => m.ptlFree(mmOf(m, c)),
    run(m, c) {
      // The slot can be freed and reused for the same page between the lookup and this check (the ABA
      // again): the PTE compares equal and the fault returns VM_FAULT_OOM. pagefault_out_of_memory()
      // retries the fault, so this is a spurious retry, not a lost fault.
      const same = m.pte(c.page(m)) === m.tl(c.t, TF_ORIG);
      if (m.notes) m.say(same ? 'PTE unchanged: VM_FAULT_OOM (the fault is retried)' : 'PTE changed: back out and re-fault');
      return out(m, c);
    },
  });

  path.add({
    id: 'do_swap_page.folio_lock',
    fn: P,
    point: 'folio_lock_or_retry',
    summary: 'lock the folio (waits while another thread holds it)',
    enabled: (m, c) => lockFree(m, m.tl(c.t, TF_FOLIO), c.t),
    run(m, c) {
      m.setLockOwner(m.tl(c.t, TF_FOLIO), c.t);
      return k.cacheRecheck && m.tflag(c.t, T_SWAPCACHE) ? NEXT : 'do_swap_page.pte_same';
    },
  });

  if (k.cacheRecheck) {
    path.add({
      id: 'do_swap_page.swapcache_recheck',
      fn: P,
      point: 'folio_test_swapcache',
      summary: 'under the folio lock, the folio must still be in the swap cache for this entry',
      run(m, c) {
        const f = m.tl(c.t, TF_FOLIO);
        const slot = m.tl(c.t, TF_ENTRY);
        if (!m.folioHas(f, FOLIO_SWAPCACHE) || m.folioSwap(f) !== slot) {
          if (m.notes) m.say(`folio ${f} no longer caches slot ${slot}: retry the fault`);
          if (m.events) m.event({ kind: 'check', check: 'folio_test_swapcache', passed: false });
          releaseFolio(m, c.t);
          return out(m, c);
        }
        return NEXT;
      },
    });
  }

  path.add({
    id: 'do_swap_page.pte_same',
    fn: P,
    point: 'pte_same',
    summary: 'take the PTL; the PTE must still equal orig_pte (the only re-check on the direct path)',
    enabled: (m, c) => m.ptlFree(mmOf(m, c)),
    run(m, c) {
      const p = c.page(m);
      const mm = mmOf(m, c);
      if (m.pte(p) !== m.tl(c.t, TF_ORIG)) {
        if (m.notes) m.say('pte_same() fails: the PTE changed, back out');
        if (m.events) m.event({ kind: 'check', check: 'pte_same', passed: false });
        releaseFolio(m, c.t);
        return out(m, c);
      }
      m.setPtl(mm, c.t);
      if (m.notes) m.say(`pte_same() passes: PTE still swap(slot ${m.tl(c.t, TF_ENTRY)})`);
      if (m.events) m.event({ kind: 'check', check: 'pte_same', passed: true });
      return NEXT;
    },
  });

  path.add({
    id: 'do_swap_page.swap_free',
    fn: P,
    point: 'swap_free',
    summary: 'drop the PTE\'s reference on the slot (cluster lock); at zero with no cache the slot is freed',
    run(m, c) {
      const slot = m.tl(c.t, TF_ENTRY);
      if (!checkDeviceAlive(m, 'swap_free')) return NEXT;
      swapFree(m, c, slot);
      m.setTflag(c.t, T_REF_DROPPED, true);
      if (m.notes) m.say(`swap_free(slot ${slot}): count now ${m.count(slot)}`);
      return !k.freeCacheAfterMap && m.tflag(c.t, T_SWAPCACHE) ? 'do_swap_page.free_swap_cache' : 'do_swap_page.set_pte';
    },
  });

  const freeSwapCache = {
    id: 'do_swap_page.free_swap_cache',
    fn: P,
    point: 'folio_free_swap',
    summary: k.freeCacheAfterMap
      ? 'after mapping, drop the folio from the swap cache (always on synchronous devices)'
      : 'should_try_to_free_swap: drop the folio from the swap cache when swap is full or on a write fault',
    run(m: Machine, c: StepCtx) {
      const f = m.tl(c.t, TF_FOLIO);
      const wanted = k.freeCacheAfterMap ? c.device.synchronous || shouldTryToFreeSwap(m, c, f) : shouldTryToFreeSwap(m, c, f);
      if (wanted) folioFreeSwap(m, c, f);
      if (!k.freeCacheAfterMap) return NEXT;
      m.setLockOwner(f, NONE);
      m.setTl(c.t, TF_FOLIO, NONE);
      return 'do_swap_page.unlock_ptl';
    },
  };
  if (!k.freeCacheAfterMap) path.add(freeSwapCache);

  path.add({
    id: 'do_swap_page.set_pte',
    fn: P,
    point: 'set_pte_at',
    summary: 'map the folio (PTE: swap -> present) and unlock it',
    run(m, c) {
      const p = c.page(m);
      const f = m.tl(c.t, TF_FOLIO);
      m.setPte(p, presentPte(f));
      m.setFolioUsers(f, m.folioUsers(f) + 1);
      m.setFolioRefs(f, m.folioRefs(f) - 1);
      m.setTflag(c.t, T_REF_DROPPED, false);
      const data = m.folioData(f);
      const latest = m.latest(p);
      if (m.notes) m.say(`${c.pages[p].name} now maps folio ${f} (value ${data})`);
      if (m.events) m.event({ kind: 'installed', page: c.pages[p].name, folio: f, value: data });
      if (data !== latest) {
        m.violate('no-stale-install', `${c.pages[p].name} mapped folio ${f} holding value ${data}, but the latest value written is ${latest}`);
      }
      if (k.freeCacheAfterMap && m.folioHas(f, FOLIO_SWAPCACHE)) return 'do_swap_page.free_swap_cache';
      m.setLockOwner(f, NONE);
      m.setTl(c.t, TF_FOLIO, NONE);
      return 'do_swap_page.unlock_ptl';
    },
  });
  if (k.freeCacheAfterMap) path.add(freeSwapCache);

  path.add({
    id: 'do_swap_page.unlock_ptl',
    fn: P,
    point: 'pte_unmap_unlock',
    summary: 'drop the PTL',
    run(m, c) {
      m.setPtl(mmOf(m, c), NONE);
      return out(m, c);
    },
  });

  if (k.anonDirect === 'pinned') {
    path.add({
      id: 'do_swap_page.swapcache_clear',
      fn: P,
      point: 'swapcache_clear',
      summary: 'after the PTL is dropped, clear the SWAP_HAS_CACHE pin; the slot is freed if nothing remains',
      run(m, c) {
        const slot = m.tl(c.t, TF_ENTRY);
        dropHasCache(m, c, slot);
        m.setTflag(c.t, T_PINNED, false);
        if (m.notes) m.say(`swapcache_clear(slot ${slot})`);
        return NEXT;
      },
    });
  }

  if (k.getSwapDevice) {
    path.add({
      id: 'do_swap_page.put_swap_device',
      fn: P,
      point: 'put_swap_device',
      summary: 'drop the si->users reference; the access is retried',
      run(m, c) {
        m.setDev(DEV_USERS, m.dev(DEV_USERS) - 1);
        m.setTflag(c.t, T_HOLDS_DEVICE, false);
        return exits.retry;
      },
    });
  } else {
    path.alias('do_swap_page.put_swap_device', exits.retry);
  }
}
