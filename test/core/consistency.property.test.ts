import { strict as assert } from 'assert';
import fc from 'fast-check';
import { findKernel, type Operation, type PageSpec, type Scenario, type ThreadSpec } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { exploreReference } from '../../src/core/search/reference';

/** Versions with every fix the reference lists for the modelled (order-0) paths. */
const CORRECT_VERSIONS = ['v6.8', 'v6.12', 'v6.14', 'v6.18', 'v7.0'];

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

const scenarioArb = fc
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

describe('property: swap counts stay consistent on every correct version (random scenarios)', function () {
  this.timeout(300_000);
  it('no reachable state breaks swap-count-consistent', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(...CORRECT_VERSIONS), (scenario, version) => {
        const outcome = exploreReference(new Program(scenario, findKernel(version)!), new Set(scenario.properties), scenario.bounds);
        assert.notEqual(outcome.verdict, 'violation', `${version}: ${outcome.message} in ${JSON.stringify(scenario)}`);
      }),
      { numRuns: 60, seed: 20261127 },
    );
  });
});
