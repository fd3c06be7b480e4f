/**
 * Random small scenarios for property tests: 2-3 threads of 1-2 operations over 1-2 pages, every
 * device option, any allocator. `scenarioArb` checks swap-count-consistent only;
 * `differentialScenarioArb` varies the properties and sometimes gives two threads the same operations
 * (so that symmetry reduction has something to fold).
 */
import fc from 'fast-check';
import { PROPERTY_IDS, type Operation, type PageSpec, type PropertyId, type Scenario, type ThreadSpec } from '../../../src/core';

const pageArb = (index: number, slots: number) =>
  fc.record({
    kind: fc.constantFrom<'anon' | 'shmem'>('anon', 'shmem'),
    initial: fc.constantFrom<'swapped' | 'present' | 'none'>('swapped', 'present', 'none'),
    cached: fc.boolean(),
  }).map(({ kind, initial, cached }): PageSpec => ({
    name: `p${index}`,
    kind,
    mm: 0,
    initial,
    ...(initial === 'swapped' ? { slot: index % slots, cached } : { cached: false }),
  }));

export const scenarioArb = fc
  .record({
    slots: fc.integer({ min: 2, max: 3 }),
    synchronous: fc.boolean(),
    allocator: fc.constantFrom<'lowest-free' | 'next-fit' | 'any-free'>('lowest-free', 'next-fit', 'any-free'),
    discardOnFree: fc.boolean(),
    reuse: fc.constantFrom<'immediate' | 'batched'>('immediate', 'batched'),
    zswap: fc.boolean(),
    swapFull: fc.boolean(),
    pageCount: fc.integer({ min: 1, max: 2 }),
  })
  .chain((device) =>
    fc.record({
      device: fc.constant(device),
      pages: fc.tuple(...Array.from({ length: device.pageCount }, (_, i) => pageArb(i, device.slots))),
      threads: fc.array(
        fc.array(
          fc.record({
            op: fc.constantFrom<'read' | 'write' | 'reclaim' | 'munmap' | 'dontneed' | 'swapoff'>('read', 'read', 'write', 'reclaim', 'reclaim', 'munmap', 'dontneed', 'swapoff'),
            page: fc.integer({ min: 0, max: device.pageCount - 1 }),
          }),
          { minLength: 1, maxLength: 2 },
        ),
        { minLength: 2, maxLength: 3 },
      ),
    }),
  )
  .map(({ device, pages, threads }): Scenario => {
    // Two swapped pages never share a slot unless forked: give each its own.
    const used = new Set<number>();
    const fixedPages = pages.map((p, i) => {
      if (p.initial !== 'swapped') return p;
      let slot = p.slot ?? i;
      while (used.has(slot)) slot = (slot + 1) % device.slots;
      used.add(slot);
      return { ...p, slot };
    });
    const threadSpecs: ThreadSpec[] = threads.map((ops, t) => ({
      name: `T${t}`,
      ops: ops.map((o): Operation => {
        if (o.op === 'swapoff') return { op: 'swapoff' };
        // MADV_DONTNEED is for anon pages; of a shmem page, a munmap (its truncation).
        const op = o.op === 'dontneed' && fixedPages[o.page].kind === 'shmem' ? 'munmap' : o.op;
        return { op, page: `p${o.page}` };
      }),
    }));
    return {
      id: 'random',
      title: 'random',
      description: '',
      kernel: 'v6.8',
      device: { ...device, batchSize: 2 },
      pages: fixedPages,
      threads: threadSpecs,
      properties: ['swap-count-consistent'],
      bounds: { maxStates: 150_000, maxDepth: 400, timeoutMs: 20_000 },
      expect: {},
    };
  });

const PROPERTY_SETS: readonly PropertyId[][] = [
  ['swap-count-consistent'],
  [...PROPERTY_IDS],
  PROPERTY_IDS.filter((p) => p !== 'fault-completes'),
  ['fault-completes'],
];

export const differentialScenarioArb = fc
  .record({ scenario: scenarioArb, properties: fc.constantFrom(...PROPERTY_SETS), twin: fc.boolean() })
  .map(({ scenario, properties, twin }): Scenario => ({
    ...scenario,
    properties,
    threads: twin ? [...scenario.threads, { name: 'twin', ops: scenario.threads[0].ops }] : scenario.threads,
  }));

/**
 * Random small scenarios with every operation, fork included: 2-3 threads of 1-2 operations over one or two
 * pages and a child page `c` (mm 1), which is either a fork child that already shares p0's swap entry or a page
 * that a fork creates (the forking thread uses it only after the fork, other threads wait for the fork; a use
 * before the fork in its thread becomes a reclaim of it).
 * All the safety properties but the model-only no-freed-slot-read, and fault-completes.
 */
export const raceScenarioArb = fc
  .record({
    device: fc.record({
      synchronous: fc.boolean(),
      slots: fc.integer({ min: 1, max: 3 }),
      allocator: fc.constantFrom<'lowest-free' | 'next-fit' | 'any-free'>('lowest-free', 'next-fit', 'any-free'),
      discardOnFree: fc.boolean(),
      reuse: fc.constantFrom<'immediate' | 'batched'>('immediate', 'batched'),
      zswap: fc.boolean(),
      swapFull: fc.boolean(),
    }),
    p0: fc.record({ kind: fc.constantFrom<'anon' | 'shmem'>('anon', 'shmem'), initial: fc.constantFrom<'swapped' | 'present'>('swapped', 'present'), cached: fc.boolean() }),
    p1: fc.option(fc.record({ kind: fc.constantFrom<'anon' | 'shmem'>('anon', 'shmem'), initial: fc.constantFrom<'swapped' | 'present' | 'none'>('swapped', 'present', 'none') }), { nil: undefined }),
    shared: fc.boolean(),
    threads: fc.array(
      fc.array(
        fc.record({
          op: fc.constantFrom<OpChoice>('read', 'write', 'write', 'reclaim', 'munmap', 'dontneed', 'swapoff', 'fork', 'fork'),
          page: fc.constantFrom('p0', 'p1', 'c'),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      { minLength: 2, maxLength: 3 },
    ),
  })
  .map(({ device, p0, p1, shared, threads }): Scenario => {
    const pages: PageSpec[] = [{ name: 'p0', mm: 0, ...p0, ...(p0.initial === 'swapped' ? { slot: 0 } : { cached: false }) }];
    if (p1) {
      const swapped = p1.initial === 'swapped' && device.slots > 1;
      pages.push({ name: 'p1', mm: 0, kind: p1.kind, cached: false, ...(swapped ? { initial: 'swapped', slot: 1 } : { initial: p1.initial === 'swapped' ? 'present' : p1.initial }) });
    }
    const sharing = shared && p0.kind === 'anon' && p0.initial === 'swapped';
    pages.push({ name: 'c', kind: 'anon', mm: 1, initial: 'none', cached: false });
    if (sharing) pages[0].sharedWith = 'c';
    // The first fork of an anon page other than c creates c (unless c shares p0's entry already).
    let forkAt: [number, number] | undefined;
    const threadSpecs: ThreadSpec[] = threads.map((choices, t) => ({
      name: `T${t}`,
      ops: choices.map(({ op, page: wanted }, i): Operation => {
        const page = pages.some((p) => p.name === wanted) ? wanted : 'p0';
        if (op === 'swapoff') return { op };
        if (op === 'fork') {
          const source = pages.find((p) => p.name === page)!;
          if (sharing || forkAt || page === 'c' || source.kind !== 'anon') return { op: 'read', page: page === 'c' ? 'p0' : page };
          forkAt = [t, i];
          return { op: 'fork', page, into: 'c' };
        }
        if (op === 'dontneed' && pages.find((p) => p.name === page)!.kind === 'shmem') return { op: 'munmap', page };
        return { op, page };
      }),
    }));
    // c exists from its fork on: other threads wait for the fork, the forking thread uses it only after
    // it; with no fork (and no sharing), c is only reclaimed.
    threadSpecs.forEach((thread, t) =>
      thread.ops.forEach((op, i) => {
        if (op.op === 'swapoff' || op.op === 'reclaim' || op.page !== 'c' || sharing) return;
        if (!forkAt || (forkAt[0] === t && i < forkAt[1])) thread.ops[i] = { op: 'reclaim', page: 'c' };
      }),
    );
    return {
      id: 'random-race',
      title: 'random',
      description: '',
      kernel: 'v6.18',
      device: { ...device, batchSize: 2 },
      pages,
      threads: threadSpecs,
      properties: PROPERTY_IDS.filter((p) => p !== 'no-freed-slot-read'),
      bounds: { maxStates: 300_000, maxDepth: 400, timeoutMs: 20_000 },
      expect: {},
    };
  });

type OpChoice = 'read' | 'write' | 'reclaim' | 'munmap' | 'dontneed' | 'swapoff' | 'fork';
