/**
 * A model program broken on purpose, the way a patch would break it, the check that a livelock's cycle really
 * is one, and ways to run a program step by step or explore it. Shared by the model and search tests.
 */
import { strict as assert } from 'assert';
import { findKernel, type Scenario, type Schedule } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine, stateKey, T_PINNED } from '../../../src/core/model/state';
import { NEXT, type StepDef } from '../../../src/core/model/step';
import { exploreReference } from '../../../src/core/search/reference';
import type { SearchOutcome } from '../../../src/core/search/verdict';

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

/** The reference explorer's outcome on a program, for its scenario's properties and within its bounds. */
export function explore(program: Program): SearchOutcome {
  return exploreReference(program, new Set(program.scenario.properties), program.scenario.bounds);
}

/**
 * Runs thread t, first branch each time, until its next step is `id`, calling `each` before every step (with
 * the steps run so far); the thread must get there within 40 steps. Returns the steps run.
 */
export function runUntil(program: Program, m: Machine, t: number, id: string, each?: (steps: number) => void): number {
  let steps = 0;
  for (; program.nextStep(m.s, t)?.step.id !== id; steps++) {
    each?.(steps);
    assert.ok(steps < 40 && program.branches(m, t) > 0, `thread ${t} reaches ${id}`);
    program.execute(m, t, 0);
  }
  return steps;
}
