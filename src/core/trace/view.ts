/**
 * Printable views of a state and of tracked object ids, for the timeline, the CLI and bug reports.
 */
import type { Program } from '../model/program';
import {
  DEV_GONE, DEV_USERS, DEV_USERS_KILLED, DEV_WRITEOK, FOLIO_DIRTY, FOLIO_IN_USE, FOLIO_WRITEBACK, FOLIO_SWAPCACHE, FOLIO_UPTODATE,
  GARBAGE, Machine, NONE, PTE_NONE, SLOT_HAS_CACHE, SLOT_IN_BATCH, SLOT_ZSWAP, T_HOLDS_DEVICE, T_MMAP_READ, T_PINNED,
  TF_ENTRY, TF_FOLIO, TF_ORIG, isPresentPte, pteFolio, pteSlot,
} from '../model/state';
import type { ObjectView, StateView } from './types';

const value = (v: number): string => (v === GARBAGE ? 'garbage' : String(v));

export function pteText(v: number): string {
  if (v === PTE_NONE) return 'none';
  if (isPresentPte(v)) return `present(folio ${pteFolio(v)})`;
  return `swap(slot ${pteSlot(v)})`;
}

export function stateView(program: Program, s: Uint8Array): StateView {
  const m = new Machine(program.layout, s);
  const { sizes } = program.layout;
  const objects: ObjectView[] = [];
  for (let t = 0; t < sizes.threads; t++) {
    const next = program.nextStep(s, t);
    objects.push({
      id: `thread:${program.threadNames[t]}`,
      kind: 'thread',
      label: program.threadNames[t],
      fields: {
        next: next ? next.step.id : 'finished',
        orig_pte: m.tl(t, TF_ORIG) === NONE ? '-' : pteText(m.tl(t, TF_ORIG)),
        entry: m.tl(t, TF_ENTRY) === NONE ? '-' : `slot ${m.tl(t, TF_ENTRY)}`,
        folio: m.tl(t, TF_FOLIO) === NONE ? '-' : `folio ${m.tl(t, TF_FOLIO)}`,
        holds: threadHolds(program, m, t, next).join(', ') || '-',
      },
    });
  }
  for (let mm = 0; mm < sizes.mms; mm++) {
    const owner = m.ptlOwner(mm);
    objects.push({ id: `lock:ptl${mm}`, kind: 'lock', label: `PTL (mm ${mm})`, fields: { owner: owner === NONE ? 'free' : program.threadNames[owner] } });
  }
  program.pages.forEach((page, p) => {
    objects.push({
      id: pageObjectId(program, p),
      kind: page.kind === 'anon' ? 'pte' : 'mapping',
      label: page.kind === 'anon' ? `PTE ${page.name}` : `i_pages[${page.name}]`,
      fields: { value: pteText(m.pte(p)), 'latest written': value(m.latest(p)) },
    });
    if (page.kind === 'anon') {
      objects.push({ id: vmaLockId(program, p), kind: 'lock', label: `VMA lock (${page.name})`, fields: { 'held for read by': String(m.vmaReaders(p)) } });
    }
  });
  for (let slot = 0; slot < sizes.slots; slot++) {
    const flags = m.slotFlags(slot);
    objects.push({
      id: `slot:${slot}`,
      kind: 'slot',
      label: `swap_map[${slot}]`,
      fields: {
        count: String(m.count(slot)),
        SWAP_HAS_CACHE: flags & SLOT_HAS_CACHE ? 'set' : 'clear',
        ...(flags & SLOT_IN_BATCH ? { slots_ret: 'parked' } : {}),
        data: `${value(m.slotData(slot))}${flags & SLOT_ZSWAP ? ' (zswap)' : ''}`,
      },
    });
    const f = m.cacheFolio(slot);
    objects.push({ id: `cache:${slot}`, kind: 'cache', label: `swap cache[${slot}]`, fields: { folio: f === NONE ? 'empty' : `folio ${f}` } });
  }
  for (let f = 0; f < sizes.folios; f++) {
    const flags = m.folioFlags(f);
    if (!(flags & FOLIO_IN_USE)) continue;
    const names = [
      flags & FOLIO_SWAPCACHE ? 'swapcache' : '',
      flags & FOLIO_UPTODATE ? 'uptodate' : '',
      flags & FOLIO_DIRTY ? 'dirty' : '',
      flags & FOLIO_WRITEBACK ? 'writeback' : '',
    ].filter(Boolean);
    const owner = m.lockOwner(f);
    objects.push({
      id: `folio:${f}`,
      kind: 'folio',
      label: `folio ${f}`,
      fields: {
        data: value(m.folioData(f)),
        locked: owner === NONE ? 'no' : `by ${program.threadNames[owner] ?? 'I/O'}`,
        flags: names.join(', ') || '-',
        'folio->swap': m.folioSwap(f) === NONE ? '-' : `slot ${m.folioSwap(f)}`,
        mapped: String(m.folioUsers(f)),
        'thread refs': String(m.folioRefs(f)),
      },
    });
  }
  objects.push({
    id: 'device',
    kind: 'device',
    label: 'swap device',
    fields: {
      state: m.dev(DEV_GONE) ? 'swapped off' : m.dev(DEV_WRITEOK) ? 'on' : 'swapoff in progress',
      'si->users': `${m.dev(DEV_USERS)}${m.dev(DEV_USERS_KILLED) ? ' (killed)' : ''}`,
    },
  });
  return { objects };
}

/**
 * Everything thread t holds, in kernel words and in the order the kernel takes them: the VMA lock or
 * mmap_lock for read, the si->users reference (get_swap_device), SWAP_HAS_CACHE on its entry (taken by
 * swapcache_prepare, or by the slot allocator for a folio on its way into the swap cache, or kept by
 * __remove_mapping until put_swap_folio), folio locks, the PTL. Each names its object as the state table
 * does (`PTL (mm 0)`, `folio 0`, `slot 0`, `VMA lock (p0)`). `next` is the thread's next step (its operation
 * names the page whose lock it holds).
 */
function threadHolds(program: Program, m: Machine, t: number, next: ReturnType<Program['nextStep']>): string[] {
  const holds: string[] = [];
  if (next && m.tflag(t, T_MMAP_READ)) {
    const p = next.op.ctx.page(m);
    const page = program.pages[p];
    const name = page?.name ?? `page ${p}`;
    if (next.op.op.op === 'swapoff') holds.push(`mmap_lock (mm ${page?.mm ?? 0}) for read (unusing ${name})`);
    else if (program.kernel.features.faultsTakeVmaLock) holds.push(`VMA lock (${name}) for read`);
    else holds.push(`mmap_lock (mm ${page?.mm ?? 0}) for read`);
  }
  if (m.tflag(t, T_HOLDS_DEVICE)) holds.push('si->users (get_swap_device)');
  if (m.tflag(t, T_PINNED)) {
    const entry = m.tl(t, TF_ENTRY);
    holds.push(entry === NONE ? 'SWAP_HAS_CACHE' : `SWAP_HAS_CACHE (slot ${entry})`);
  }
  const { sizes } = program.layout;
  for (let f = 0; f < sizes.folios; f++) {
    if (m.folioFlags(f) & FOLIO_IN_USE && m.lockOwner(f) === t) holds.push(`folio ${f} lock`);
  }
  for (let mm = 0; mm < sizes.mms; mm++) if (m.ptlOwner(mm) === t) holds.push(`PTL (mm ${mm})`);
  return holds;
}

export function pageObjectId(program: Program, p: number): string {
  const page = program.pages[p];
  return `${page.kind === 'anon' ? 'pte' : 'mapping'}:${page.name}`;
}

/** The VMA lock (or mmap_lock) of an anon page, which faults and swapoff hold for read (`Machine.vmaReaders`). */
const vmaLockId = (program: Program, p: number): string => `lock:vma:${program.pages[p].name}`;

/** Maps a bit set of the Machine's numeric tracking ids (`Machine.readBits`) to the object ids of `stateView`. */
export function objectIds(program: Program, tracked: Int32Array): string[] {
  const l = program.layout;
  const ids = new Set<string>();
  for (let o = 0; o < l.objects; o++) {
    if ((tracked[o >> 5] & (1 << (o & 31))) === 0) continue;
    if (o < l.objSlot) ids.add(pageObjectId(program, o));
    else if (o < l.objFolio) {
      ids.add(`slot:${o - l.objSlot}`);
    } else if (o < l.objPtl) ids.add(`folio:${o - l.objFolio}`);
    else if (o < l.objVmaReaders) ids.add(`lock:ptl${o - l.objPtl}`);
    else if (o < l.objDevice) ids.add(vmaLockId(program, o - l.objVmaReaders));
    else ids.add('device');
  }
  return [...ids].sort();
}
