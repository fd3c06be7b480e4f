/**
 * A model program broken on purpose, the way a patch would break it, and the check that a livelock's cycle
 * really is one. Shared by the termination, differential and minimisation tests.
 */
import { strict as assert } from 'assert';
import { findKernel, type Scenario, type Schedule } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine, stateKey, T_PINNED } from '../../../src/core/model/state';
import { NEXT, type StepDef } from '../../../src/core/model/step';

/** The program of `scenario` on `kernel` with one step's effect replaced: the way a patch would break it. */
export function withBrokenStep(scenario: Scenario, kernel: string, id: string, run: StepDef['run']): Program {
  const program = new Program(scenario, findKernel(kernel)!);
  const step = program.allSteps().find((s) => s.id === id);
  assert.ok(step, id);
  step.run = run;
  return program;
}

/**
 * `withBrokenStep` whose do_swap_page.swapcache_clear forgets to drop SWAP_HAS_CACHE: the other fault's
 * swapcache_prepare then fails forever, a livelock.
 */
export function withPinNeverCleared(scenario: Scenario, kernel = 'v6.8'): Program {
  return withBrokenStep(scenario, kernel, 'do_swap_page.swapcache_clear', (m, c) => {
    m.setTflag(c.t, T_PINNED, false);
    return NEXT;
  });
}

/**
 * A livelock's cycle really is one: replayed after its prefix through the one step function, every step of it
 * is enabled, and it returns to the state it started from.
 */
export function assertCycleCloses(program: Program, schedule: Schedule, message = 'the cycle returns to its first state'): void {
  const { prefix, cycle } = schedule;
  assert.ok(cycle, 'the schedule has a cycle');
  const m = new Machine(program.layout, program.initialState());
  for (const c of prefix) program.execute(m, c.thread, c.branch);
  const entry = stateKey(m.s);
  for (const c of cycle) {
    assert.ok(program.branches(m, c.thread) > c.branch, 'every cycle step is enabled');
    program.execute(m, c.thread, c.branch);
  }
  assert.equal(stateKey(m.s), entry, message);
}
