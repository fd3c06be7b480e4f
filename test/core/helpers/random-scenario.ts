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
            op: fc.constantFrom<'read' | 'write' | 'reclaim' | 'munmap' | 'swapoff'>('read', 'read', 'write', 'reclaim', 'reclaim', 'munmap', 'swapoff'),
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
      ops: ops.map((o): Operation => (o.op === 'swapoff' ? { op: 'swapoff' } : { op: o.op, page: `p${o.page}` })),
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
