/**
 * State properties (checked on every reachable state) and quiescence properties (checked where every
 * thread has finished). Transition properties (stale install, freed-slot read, use after swapoff, fault
 * errors) are raised by the steps themselves through `Machine.violate`.
 */
import type { PropertyId } from '../scenario/types';
import type { Program } from './program';
import {
  DEV_GONE, FOLIO_SWAPCACHE, GARBAGE, Machine, NONE, PTE_NONE, SLOT_HAS_CACHE, SLOT_IN_BATCH, T_PINNED,
  T_REF_DROPPED, T_REF_OWED, TF_ENTRY, TF_FLAGS, ZERO_DATA, isPresentPte, isSwapPte, pteFolio, pteSlot,
} from './state';

export interface PropertyFailure {
  property: PropertyId;
  message: string;
}

/** Scratch for checkSwapCounts, by slot (a swap PTE names at most 127 slots). */
const slotRefs = new Int16Array(128);
const slotPinned = new Uint8Array(128);

/**
 * swap-count-consistent: count equals the references held by PTEs and mapping slots (plus a thread's
 * reference in flight between its swap_free and its PTE update), and SWAP_HAS_CACHE is set exactly when
 * a cache folio, a thread's pin, or the slots_ret batch owns the slot.
 */
export function checkSwapCounts(m: Machine): PropertyFailure | undefined {
  const { sizes } = m.layout;
  if (m.dev(DEV_GONE)) return undefined;
  // One pass over pages and threads, not one per slot: this runs on every new state of a search.
  const refs = slotRefs;
  const pinned = slotPinned;
  for (let s = 0; s < sizes.slots; s++) {
    refs[s] = 0;
    pinned[s] = 0;
  }
  for (let p = 0; p < sizes.pages; p++) {
    const v = m.pte(p);
    if (isSwapPte(v)) refs[pteSlot(v)]++;
  }
  for (let t = 0; t < sizes.threads; t++) {
    const s = m.tl(t, TF_ENTRY);
    if (s >= sizes.slots) continue;
    const flags = m.tl(t, TF_FLAGS);
    if (flags & T_REF_OWED) refs[s]++;
    if (flags & T_REF_DROPPED) refs[s]--;
    if (flags & T_PINNED) pinned[s] = 1;
  }
  for (let s = 0; s < sizes.slots; s++) {
    const count = m.count(s);
    if (count !== refs[s]) {
      return { property: 'swap-count-consistent', message: `slot ${s}: count is ${count} but ${refs[s]} page reference(s) name it` };
    }
    const flags = m.slotFlags(s);
    const cacheFolio = m.cacheFolio(s);
    const owned = cacheFolio !== NONE || pinned[s] === 1 || (flags & SLOT_IN_BATCH) !== 0;
    if (((flags & SLOT_HAS_CACHE) !== 0) !== owned) {
      return {
        property: 'swap-count-consistent',
        message: flags & SLOT_HAS_CACHE
          ? `slot ${s}: SWAP_HAS_CACHE is set but no cache folio, pin or batch owns it`
          : `slot ${s}: a cache folio or pin owns the slot but SWAP_HAS_CACHE is clear`,
      };
    }
    if (cacheFolio !== NONE && (!m.folioHas(cacheFolio, FOLIO_SWAPCACHE) || m.folioSwap(cacheFolio) !== s)) {
      return { property: 'swap-count-consistent', message: `slot ${s}: cache folio ${cacheFolio} does not point back at the slot` };
    }
  }
  return undefined;
}

/** What a user would read from page p if it faulted now, with nobody else running. */
function contentOf(m: Machine, p: number): number {
  const v = m.pte(p);
  if (v === PTE_NONE) return ZERO_DATA;
  if (isPresentPte(v)) return m.folioData(pteFolio(v));
  if (m.dev(DEV_GONE)) return GARBAGE;
  const slot = pteSlot(v);
  const cached = m.cacheFolio(slot);
  return cached !== NONE ? m.folioData(cached) : m.slotData(slot);
}

/** no-lost-write and no-slot-leak, where every thread has finished. */
export function checkQuiescent(program: Program, m: Machine, props: ReadonlySet<PropertyId>): PropertyFailure | undefined {
  const { sizes } = m.layout;
  for (let p = 0; p < sizes.pages && props.has('no-lost-write'); p++) {
    const content = contentOf(m, p);
    const latest = m.latest(p);
    if (content !== latest) {
      return {
        property: 'no-lost-write',
        message: `${program.pages[p].name} would read value ${content === GARBAGE ? 'garbage' : content} but the last value written was ${latest}`,
      };
    }
  }
  if (m.dev(DEV_GONE) || !props.has('no-slot-leak')) return undefined;
  for (let s = 0; s < sizes.slots; s++) {
    let referenced = false;
    for (let p = 0; p < sizes.pages && !referenced; p++) referenced = isSwapPte(m.pte(p)) && pteSlot(m.pte(p)) === s;
    const cached = m.cacheFolio(s) !== NONE;
    const flags = m.slotFlags(s);
    const allocated = m.count(s) > 0 || (flags & SLOT_HAS_CACHE) !== 0;
    if (allocated && !referenced && !cached && (flags & SLOT_IN_BATCH) === 0) {
      return { property: 'no-slot-leak', message: `slot ${s} stays allocated with nothing referring to it` };
    }
  }
  return undefined;
}
