import { strict as assert } from 'assert';
import fc from 'fast-check';
import { findKernel, KERNEL_VERSIONS, type Scenario } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { Machine } from '../../src/core/model/state';
import { findStrategy } from '../../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../../src/core/search/strategy';
import { exploreReference } from '../../src/core/search/reference';
import { explore, runUntil } from './helpers/program';
import { raceScenarioArb } from './helpers/random-scenario';

/**
 * A thread of the child process uses the page a fork in another thread creates: it waits for the fork. The
 * parent writes its page meanwhile, with zswap in front of a synchronous device.
 */
const forkThenChild: Scenario = {
  id: 'fork-then-child',
  title: '',
  description: '',
  kernel: 'v6.8',
  device: { synchronous: true, slots: 1, allocator: 'lowest-free', discardOnFree: false, reuse: 'immediate', zswap: true, swapFull: false, batchSize: 2 },
  pages: [
    { name: 'p0', kind: 'anon', mm: 0, initial: 'swapped', slot: 0, cached: false },
    { name: 'c', kind: 'anon', mm: 1, initial: 'none', cached: false },
  ],
  threads: [
    { name: 'F', ops: [{ op: 'fork', page: 'p0', into: 'c' }] },
    { name: 'C', ops: [{ op: 'read', page: 'c' }, { op: 'write', page: 'c' }] },
    { name: 'P', ops: [{ op: 'write', page: 'p0' }] },
  ],
  properties: ['no-stale-install', 'no-lost-write', 'swap-count-consistent', 'no-slot-leak', 'fault-completes'],
  bounds: { maxStates: 200_000, maxDepth: 400, timeoutMs: 60_000 },
  expect: {},
};
const [F, C, P] = [0, 1, 2];

/** dfs with sleep sets and symmetry on the safety properties, against the reference explorer. */
function assertSleepSetsKeepEveryState(scenario: Scenario, kernel: string): void {
  const program = new Program(scenario, findKernel(kernel)!);
  const props = new Set(scenario.properties.filter((p) => p !== 'fault-completes'));
  const reference = exploreReference(program, props, scenario.bounds);
  if (reference.verdict === 'bounded') return;
  const reduced = findStrategy('dfs')!.run(program, props, scenario.bounds, { ...DEFAULT_STRATEGY_OPTIONS, symmetry: false });
  assert.equal(reduced.verdict, reference.verdict, `${scenario.id} on ${kernel}`);
  if (reference.verdict === 'verified') assert.equal(reduced.stats.states, reference.stats.states, `${kernel}: sleep sets keep every reachable state`);
}

describe('a thread of the child process waits for the fork that creates its page', () => {
  for (const kernel of KERNEL_VERSIONS) {
    it(`${kernel.id}: C is blocked until F's fork has run; the parent's P is not`, () => {
      const program = new Program(forkThenChild, kernel);
      const m = new Machine(program.layout, program.initialState());
      assert.equal(program.branches(m, C), 0, 'no child process yet');
      program.execute(m, P, 0);
      runUntil(program, m, P, 'handle_pte_fault.orig_pte', (step) => {
        assert.equal(program.branches(m, C), 0, `C still waits (P's step ${step})`);
        assert.equal(program.branches(m, F), 0, `the fork waits for P's fault (P's step ${step})`);
      });
      program.execute(m, P, 0);
      assert.ok(program.isFinished(m.s, P));
      program.execute(m, F, 0);
      assert.ok(program.isFinished(m.s, F));
      assert.ok(program.branches(m, C) > 0, 'the child runs once forked');
    });
  }

  it('every property holds from v6.8 on, and partial-order reduction keeps every state', () => {
    for (const id of ['v6.8', 'v6.12', 'v6.14', 'v6.18', 'v7.0']) assert.equal(explore(new Program(forkThenChild, findKernel(id)!)).verdict, 'verified', id);
    for (const kernel of KERNEL_VERSIONS) assertSleepSetsKeepEveryState(forkThenChild, kernel.id);
  });

  it('a child thread listed before the forking thread waits all the same', () => {
    const program = new Program({ ...forkThenChild, threads: [forkThenChild.threads[1], forkThenChild.threads[0]] }, findKernel('v6.8')!);
    const m = new Machine(program.layout, program.initialState());
    assert.equal(program.branches(m, 0), 0, 'the child waits');
    program.execute(m, 1, 0);
    assert.ok(program.branches(m, 0) > 0, 'and runs once forked');
  });

  it('on random scenarios whose other threads use a forked page: sleep sets keep every state', () => {
    const waiting = raceScenarioArb.filter((scenario) => {
      const fork = scenario.threads.findIndex((thread) => thread.ops.some((op) => op.op === 'fork'));
      return fork >= 0 && scenario.threads.some((thread, t) => t !== fork && thread.ops.some((op) => op.op !== 'swapoff' && op.op !== 'reclaim' && op.page === 'c'));
    });
    fc.assert(
      fc.property(waiting, fc.constantFrom('v6.7', 'v6.8', 'v6.18'), (scenario, kernel) => assertSleepSetsKeepEveryState({ ...scenario, bounds: { ...scenario.bounds, maxStates: 50_000 } }, kernel)),
      { numRuns: 40, seed: 7 },
    );
  });
});
