/**
 * User accesses and address-space operations: the load/store that starts every fault
 * (handle_pte_fault's lockless orig_pte read, or shmem_get_folio's mapping lookup), do_anonymous_page,
 * the copy-on-write of do_wp_page, munmap and MADV_DONTNEED (zap_pte_range -> free_swap_and_cache) and fork
 * (copy_pte_range -> swap_duplicate). Reads check the ghost "latest value" of the page.
 */
import { allocFolio, freeIfUnused, lockFree } from './folios';
import {
  DEV_NEXT_VALUE, FOLIO_DIRTY, FOLIO_SWAPCACHE, FOLIO_UPTODATE, Machine, NONE, PTE_NONE, T_MMAP_READ, T_SWAPCACHE, TF_ENTRY,
  TF_ORIG, ZERO_DATA, isPresentPte, isSwapPte, presentPte, pteFolio, pteSlot,
} from './state';
import { DONE, NEXT, StepCtx, StepDef } from './step';
import { folioFreeSwap, freeSwapSlot } from './swap_map';

function readValue(m: Machine, c: StepCtx, p: number, value: number): string {
  const latest = m.latest(p);
  if (m.notes) m.say(`${c.pages[p].name} reads value ${value}`);
  if (value !== latest) {
    m.violate('no-lost-write', `${c.pages[p].name} read value ${value} but the last value written was ${latest}`);
  }
  return DONE;
}

function writeValue(m: Machine, c: StepCtx, p: number, f: number): string {
  const value = m.dev(DEV_NEXT_VALUE);
  m.setDev(DEV_NEXT_VALUE, value + 1);
  m.setFolioData(f, value);
  m.folioSet(f, FOLIO_DIRTY, true);
  m.setLatest(p, value);
  if (m.notes) m.say(`${c.pages[p].name} writes value ${value} into folio ${f}`);
  if (m.events) m.event({ kind: 'wrote', page: c.pages[p].name, value });
  return DONE;
}

/**
 * A store goes into the folio in place only if this PTE is its only user and nobody else holds a
 * reference or the lock (wp_can_reuse_anon_folio); otherwise do_wp_page copies.
 */
function exclusive(m: Machine, f: number): boolean {
  if (m.folioUsers(f) > 1 || m.folioRefs(f) > 0 || m.lockOwner(f) !== NONE) return false;
  return !(m.folioHas(f, FOLIO_SWAPCACHE) && m.count(m.folioSwap(f)) > 0);
}

/**
 * handle_pte_fault: the lockless read of orig_pte, and the access itself when the PTE is present. A fault
 * (do_swap_page, do_anonymous_page, do_wp_page) runs with its VMA's lock (v6.4+) or its mm's mmap_lock held
 * for read, from here until it comes back here to retry the access; fork takes them all for write, so it
 * waits until no fault of the parent is in flight, and munmap takes the page's, so it waits for the
 * faults on the page. A fault that must wait for a folio lock drops them and retries
 * (`folio_lock_or_retry`); the model keeps them while it waits (a variant that drops them and retries
 * gave the same verdicts on 664 scenario and kernel pairs with fork, and on about 7,700 scenario, kernel
 * and property checks with munmap).
 */
export const anonAccess: StepDef = {
  id: 'handle_pte_fault.orig_pte',
  fn: 'handle_pte_fault',
  point: 'orig_pte',
  summary: 'user load/store: read the PTE without the PTL; a present page is accessed at once, a swap PTE faults',
  run(m, c) {
    const next = access(m, c);
    if (next !== DONE) {
      const p = c.page(m);
      m.setTflag(c.t, T_MMAP_READ, true);
      m.setVmaReaders(p, m.vmaReaders(p) + 1);
    }
    return next;
  },
  // Every fault ends by coming back here to retry the access: the lock goes with the fault's last step, so
  // a thread back at this step holds nothing (and its state is the one it had before the fault).
  entered(m, c) {
    const p = c.page(m);
    if (!m.tflag(c.t, T_MMAP_READ) || m.vmaReaders(p) === 0) throw new Error(`a fault on ${c.pages[p].name} ends without holding its VMA lock`);
    m.setTflag(c.t, T_MMAP_READ, false);
    m.setVmaReaders(p, m.vmaReaders(p) - 1);
  },
};

/** The access, or the fault it needs (the next step's id). */
function access(m: Machine, c: StepCtx): string {
  const p = c.page(m);
  const pte = m.pte(p);
  m.setTflag(c.t, T_SWAPCACHE, false);
  if (isPresentPte(pte)) {
    const f = pteFolio(pte);
    if (!c.write) return readValue(m, c, p, m.folioData(f));
    return exclusive(m, f) ? writeValue(m, c, p, f) : 'do_wp_page.copy';
  }
  if (pte === PTE_NONE) return c.write ? 'do_anonymous_page.set_pte' : readValue(m, c, p, ZERO_DATA);
  m.setTl(c.t, TF_ORIG, pte);
  m.setTl(c.t, TF_ENTRY, pteSlot(pte));
  if (m.notes) m.say(`${c.pages[p].name}: orig_pte = swap(slot ${pteSlot(pte)})`);
  return NEXT;
}

export const doAnonymousPage: StepDef = {
  id: 'do_anonymous_page.set_pte',
  fn: 'do_anonymous_page',
  point: 'set_pte',
  summary: 'write fault on an empty PTE: map a new zeroed folio under the PTL',
  enabled: (m, c) => m.ptlFree(c.pages[c.page(m)].mm),
  run(m, c) {
    const p = c.page(m);
    if (m.pte(p) === PTE_NONE) {
      const f = allocFolio(m, ZERO_DATA, NONE);
      m.folioSet(f, FOLIO_UPTODATE, true);
      m.setFolioRefs(f, 0);
      m.setFolioUsers(f, 1);
      m.setPte(p, presentPte(f));
      if (m.notes) m.say(`${c.pages[p].name} maps new zeroed folio ${f}`);
    }
    return anonAccess.id;
  },
};

export const doWpPageCopy: StepDef = {
  id: 'do_wp_page.copy',
  fn: 'do_wp_page',
  point: 'wp_page_copy',
  summary: 'write to a shared folio: copy it and map the copy under the PTL',
  enabled: (m, c) => m.ptlFree(c.pages[c.page(m)].mm),
  run(m, c) {
    const p = c.page(m);
    const pte = m.pte(p);
    if (!isPresentPte(pte)) return anonAccess.id;
    const old = pteFolio(pte);
    if (exclusive(m, old)) return anonAccess.id;
    const copy = allocFolio(m, m.folioData(old), NONE);
    m.folioSet(copy, FOLIO_UPTODATE, true);
    m.setFolioRefs(copy, 0);
    m.setFolioUsers(copy, 1);
    m.setPte(p, presentPte(copy));
    m.setFolioUsers(old, m.folioUsers(old) - 1);
    freeIfUnused(m, old);
    if (m.notes) m.say(`${c.pages[p].name}: copy-on-write of folio ${old} into folio ${copy}`);
    return anonAccess.id;
  },
};

/** shmem_get_folio_gfp: an RCU lookup of the mapping slot; a folio found there is locked and accessed. */
export const shmemAccess: StepDef = {
  id: 'shmem_get_folio_gfp.lookup',
  fn: 'shmem_get_folio_gfp',
  point: 'filemap_get_entry',
  summary: 'file read/write of a shmem page: look up the mapping slot; a folio is accessed under its lock',
  enabled(m, c) {
    const v = m.pte(c.page(m));
    return !isPresentPte(v) || lockFree(m, pteFolio(v), c.t);
  },
  run(m, c) {
    const p = c.page(m);
    const v = m.pte(p);
    m.setTflag(c.t, T_SWAPCACHE, false);
    if (isPresentPte(v)) {
      const f = pteFolio(v);
      return c.write ? writeValue(m, c, p, f) : readValue(m, c, p, m.folioData(f));
    }
    if (v === PTE_NONE) {
      if (!c.write) return readValue(m, c, p, ZERO_DATA);
      const f = allocFolio(m, ZERO_DATA, NONE);
      m.folioSet(f, FOLIO_UPTODATE, true);
      m.setFolioRefs(f, 0);
      m.setFolioUsers(f, 1);
      m.setPte(p, presentPte(f));
      return writeValue(m, c, p, f);
    }
    m.setTl(c.t, TF_ORIG, v);
    m.setTl(c.t, TF_ENTRY, pteSlot(v));
    if (m.notes) m.say(`${c.pages[p].name}: mapping holds swap(slot ${pteSlot(v)})`);
    return NEXT;
  },
};

/**
 * munmap of an anon page: zap_pte_range with the mmap_lock held for write and the VMA write-locked, so it
 * waits until no fault on the page (nor swapoff's walk of it) holds the VMA lock or the mmap_lock for
 * read. The kernel's mmap_write_lock also waits for the mmap_lock readers on the mm's other pages; the
 * model waits for the page's own (each page is its own VMA), which allows more interleavings, never
 * fewer. Of a shmem page: truncation of the file's page (the model's shmem page is the mapping slot),
 * which takes no mmap lock. `free_swap_and_cache` and its `__try_to_reclaim_swap` trylock run inside the
 * same step: they nest inside the PTL region.
 */
export const munmapZap: StepDef = {
  id: 'zap_pte_range.zap',
  fn: 'zap_pte_range',
  point: 'free_swap_and_cache',
  summary: 'munmap: once no fault on the page is in flight (mmap_lock and VMA lock for write), clear the PTE; a swap entry loses its reference (free_swap_and_cache); a shmem page is truncated, with no wait',
  enabled: (m, c) => {
    const p = c.page(m);
    return m.ptlFree(c.pages[p].mm) && (c.pages[p].kind !== 'anon' || m.vmaReaders(p) === 0);
  },
  run: zapPte,
};

/**
 * madvise(MADV_DONTNEED) of an anon page: the same zap under the mmap_lock (or VMA lock) for read, beside
 * the faults. Its own id, so that traces and hovers tell it from munmap's.
 */
export const dontneedZap: StepDef = {
  ...munmapZap,
  id: 'zap_pte_range.zap_dontneed',
  summary: 'MADV_DONTNEED: beside the faults (mmap_lock or VMA lock for read), clear the PTE; a swap entry loses its reference (free_swap_and_cache)',
  enabled: (m, c) => m.ptlFree(c.pages[c.page(m)].mm),
};

function zapPte(m: Machine, c: StepCtx): string {
  const p = c.page(m);
  const v = m.pte(p);
  if (isPresentPte(v)) {
    const f = pteFolio(v);
    m.setFolioUsers(f, m.folioUsers(f) - 1);
    freeIfUnused(m, f);
  } else if (isSwapPte(v)) {
    freeSwapAndCache(m, c, pteSlot(v));
  }
  m.setPte(p, PTE_NONE);
  m.setLatest(p, ZERO_DATA);
  if (m.notes) m.say(`${c.pages[p].name} unmapped`);
  return DONE;
}

function freeSwapAndCache(m: Machine, c: StepCtx, slot: number): void {
  const count = m.count(slot) - 1;
  m.setCount(slot, count);
  if (count > 0) return;
  if (!m.hasCache(slot)) {
    freeSwapSlot(m, c, slot);
    return;
  }
  const f = m.cacheFolio(slot);
  if (f !== NONE && m.lockOwner(f) === NONE) folioFreeSwap(m, c, f);
}

export const fork: StepDef = {
  id: 'copy_pte_range.copy',
  fn: 'copy_pte_range',
  point: 'swap_duplicate',
  summary: 'fork: with the parent\'s mmap_lock and every VMA lock held for write, copy the PTE into the child under both PTLs; a swap entry gains a reference',
  // dup_mmap holds the parent's mmap_lock for write and write-locks each of its VMAs: no fault of the
  // parent is in flight meanwhile.
  enabled: (m, c) => {
    const parent = c.pages[c.page(m)].mm;
    if (!m.ptlFree(parent) || !m.ptlFree(c.pages[c.into].mm)) return false;
    for (let q = 0; q < c.pages.length; q++) if (c.pages[q].mm === parent && m.vmaReaders(q) > 0) return false;
    return true;
  },
  run(m, c) {
    const p = c.page(m);
    const v = m.pte(p);
    if (isSwapPte(v)) m.setCount(pteSlot(v), m.count(pteSlot(v)) + 1);
    if (isPresentPte(v)) m.setFolioUsers(pteFolio(v), m.folioUsers(pteFolio(v)) + 1);
    m.setPte(c.into, v);
    m.setLatest(c.into, m.latest(p));
    if (m.notes) m.say(`${c.pages[c.into].name} now shares ${c.pages[p].name}'s PTE`);
    return DONE;
  },
};
