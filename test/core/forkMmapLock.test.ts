import { strict as assert } from 'assert';
import { findBuiltinScenario, findKernel, KERNEL_VERSIONS, type Scenario } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { Machine } from '../../src/core/model/state';
import type { StepDef } from '../../src/core/model/step';
import { explore, runUntil } from './helpers/program';

/**
 * A fork of a swapped anon page while another thread of the parent faults on it, with zswap on a synchronous
 * device: the direct swap-in's exclusive zswap load is right only if nobody adds a reference to the entry
 * between its swap-count check and the load. A fork can, but not during a fault of the parent.
 */
const scenario: Scenario = {
  ...findBuiltinScenario('anon-direct-aba')!,
  id: 'fork-during-fault',
  device: { ...findBuiltinScenario('anon-direct-aba')!.device, zswap: true },
  pages: [
    { name: 'p0', kind: 'anon', mm: 0, initial: 'swapped', slot: 0, cached: false },
    { name: 'c', kind: 'anon', mm: 1, initial: 'none', cached: false },
  ],
  threads: [
    { name: 'F', ops: [{ op: 'fork', page: 'p0', into: 'c' }] },
    { name: 'T', ops: [{ op: 'read', page: 'p0' }] },
  ],
};
const [F, T] = [0, 1];

/**
 * The reference's S5: the entry is shared with a fork child (count 2), and a zap of the parent's PTE by
 * MADV_DONTNEED, which runs beside the faults, makes the count 1 while the child still names the entry.
 */
const zapShared: Scenario = {
  ...scenario,
  id: 'zap-during-fault',
  pages: [{ ...scenario.pages[0], sharedWith: 'c' }, scenario.pages[1]],
  threads: [
    { name: 'U', ops: [{ op: 'dontneed', page: 'p0' }] },
    { name: 'T', ops: [{ op: 'read', page: 'p0' }] },
    { name: 'C', ops: [{ op: 'read', page: 'c' }] },
  ],
};

/** The same race with munmap, which takes the mmap_lock and the VMA lock for write, as the zap. */
const munmapShared: Scenario = {
  ...zapShared,
  id: 'munmap-during-fault',
  threads: [{ name: 'U', ops: [{ op: 'munmap', page: 'p0' }] }, ...zapShared.threads.slice(1)],
};

/** Runs `body` with one step's guard replaced (fork and the zaps are steps every program shares: put it back). */
function withGuard<R>(program: Program, id: string, guard: NonNullable<StepDef['enabled']>, body: () => R): R {
  const step = program.allSteps().find((s) => s.id === id)!;
  const original = step.enabled;
  step.enabled = guard;
  try {
    return body();
  } finally {
    step.enabled = original;
  }
}

describe('fork and munmap wait for the faults of the parent (mmap_lock, VMA locks); MADV_DONTNEED does not', () => {
  for (const kernel of KERNEL_VERSIONS) {
    it(`${kernel.id}: fork is disabled from the start of T's fault until T retries the access`, () => {
      const program = new Program(scenario, kernel);
      const m = new Machine(program.layout, program.initialState());
      assert.ok(program.branches(m, F) > 0, 'no fault yet: fork may run');
      program.execute(m, T, 0);
      const steps = runUntil(program, m, T, 'handle_pte_fault.orig_pte', (step) => assert.equal(program.branches(m, F), 0, `fork waits during the fault (step ${step})`));
      assert.ok(steps > 3, 'the fault took several steps');
      program.execute(m, T, 0);
      assert.ok(program.isFinished(m.s, T), 'the retried access completes');
      assert.ok(program.branches(m, F) > 0, 'fork runs once the fault is over');
    });
  }

  it('so a fork never slips in between the direct swap-in\'s count check and its exclusive zswap load', () => {
    for (const kernel of KERNEL_VERSIONS) {
      const outcome = explore(new Program(scenario, kernel));
      assert.equal(outcome.verdict, 'verified', kernel.id);
    }
  });

  it('without the wait, the fork child is left naming the entry that the exclusive load erased', () => {
    const program = new Program(scenario, findKernel('v6.8')!);
    const outcome = withGuard(program, 'copy_pte_range.copy', (m, c) => m.ptlFree(c.pages[c.page(m)].mm) && m.ptlFree(c.pages[c.into].mm), () =>
      explore(program));
    assert.equal(outcome.verdict, 'violation');
    assert.equal(outcome.property, 'no-lost-write');
    assert.match(outcome.message ?? '', /^c would read value garbage/);
  });

  it('MADV_DONTNEED runs beside a fault on its page: before C4 the fault\'s bypass load erases the copy the child needs (S5)', () => {
    for (const kernel of KERNEL_VERSIONS) {
      const program = new Program(zapShared, kernel);
      const m = new Machine(program.layout, program.initialState());
      program.execute(m, T, 0);
      assert.ok(program.branches(m, 0) > 0, `${kernel.id}: the zap need not wait`);
    }
    const outcome = (id: string) => explore(new Program(zapShared, findKernel(id)!));
    const v68 = outcome('v6.8');
    assert.equal(v68.verdict, 'violation');
    assert.match(v68.message ?? '', /^c (mapped|would read)/);
    for (const id of ['v6.12', 'v6.14', 'v6.18', 'v7.0']) assert.equal(outcome(id).verdict, 'verified', id);
  });

  it('munmap waits until the fault on its page is over, so on v6.8 the same race cannot happen', () => {
    for (const kernel of KERNEL_VERSIONS) {
      const program = new Program(munmapShared, kernel);
      const m = new Machine(program.layout, program.initialState());
      assert.ok(program.branches(m, 0) > 0, `${kernel.id}: no fault yet: munmap may run`);
      program.execute(m, T, 0);
      runUntil(program, m, T, 'handle_pte_fault.orig_pte', (step) => assert.equal(program.branches(m, 0), 0, `${kernel.id}: munmap waits during the fault (step ${step})`));
      assert.ok(program.branches(m, 0) > 0, `${kernel.id}: munmap runs once the fault is over`);
    }
    // (v6.7 still fails, without any zap: C's swap-cache fault drops the count to 1 and T, whose lookup missed
    // before C added the folio, takes the direct path and reads the slot C's exclusive load erased. C2 pins it.)
    assert.equal(explore(new Program(munmapShared, findKernel('v6.8')!)).verdict, 'verified');
    // Without the wait munmap is MADV_DONTNEED again, and S5 comes back.
    const program = new Program(munmapShared, findKernel('v6.8')!);
    const outcome = withGuard(program, 'zap_pte_range.zap', (m, c) => m.ptlFree(c.pages[c.page(m)].mm), () => explore(program));
    assert.equal(outcome.verdict, 'violation');
  });

  it('swapoff holds the mm while it unuses a page: a fork of the mm waits, on every version', () => {
    const unusing: Scenario = {
      ...scenario,
      id: 'fork-during-unuse',
      threads: [
        { name: 'off', ops: [{ op: 'swapoff' }] },
        { name: 'F', ops: [{ op: 'fork', page: 'p0', into: 'c' }] },
      ],
    };
    for (const kernel of KERNEL_VERSIONS) {
      const program = new Program(unusing, kernel);
      const m = new Machine(program.layout, program.initialState());
      program.execute(m, 0, 0);
      assert.equal(program.nextStep(m.s, 0)?.step.id, 'try_to_unuse.next_page', kernel.id);
      program.execute(m, 0, 0);
      const steps = runUntil(program, m, 0, 'try_to_unuse.next_page', (step) => assert.equal(program.branches(m, 1), 0, `${kernel.id}: fork waits while p0 is unused (step ${step})`));
      assert.ok(steps > 2 && program.branches(m, 1) > 0, `${kernel.id}: fork runs once swapoff is back in its walk`);
      const outcome = explore(program);
      assert.equal(outcome.verdict, 'verified', kernel.id);
    }
  });
});
