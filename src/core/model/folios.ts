/** Folio allocation and reference counting. A folio is freed when no thread, PTE, mapping or cache holds it. */
import { FOLIO_IN_USE, FOLIO_SWAPCACHE, Machine, NONE } from './state';

export function allocFolio(m: Machine, data: number, lockedBy: number): number {
  const folios = m.layout.sizes.folios;
  const reads = m.beginScan();
  for (let f = 0; f < folios; f++) {
    if (m.folioFlags(f) & FOLIO_IN_USE) continue;
    m.endScan(reads);
    m.setFolioFlags(f, FOLIO_IN_USE);
    m.setLockOwner(f, lockedBy);
    m.setFolioData(f, data);
    m.setFolioSwap(f, NONE);
    m.setFolioUsers(f, 0);
    m.setFolioRefs(f, 1);
    return f;
  }
  m.endScan(reads);
  throw new Error(`folio pool exhausted (${folios} folios): raise the pool size for this scenario`);
}

export function getFolio(m: Machine, f: number): void {
  m.setFolioRefs(f, m.folioRefs(f) + 1);
}

export function putFolio(m: Machine, f: number): void {
  m.setFolioRefs(f, m.folioRefs(f) - 1);
  freeIfUnused(m, f);
}

export function freeIfUnused(m: Machine, f: number): void {
  if (m.folioRefs(f) === 0 && m.folioUsers(f) === 0 && !m.folioHas(f, FOLIO_SWAPCACHE)) {
    m.setFolioFlags(f, 0);
    m.setLockOwner(f, NONE);
    m.setFolioData(f, 0);
    m.setFolioSwap(f, NONE);
  }
}

export function lockFree(m: Machine, f: number, t: number): boolean {
  const owner = m.lockOwner(f);
  return owner === NONE || owner === t;
}
