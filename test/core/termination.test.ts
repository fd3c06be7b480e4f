import { strict as assert } from 'assert';
import { findBuiltinScenario, findKernel } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { Machine, NONE, stateKey, T_PINNED, TF_FOLIO } from '../../src/core/model/state';
import { NEXT, type StepDef } from '../../src/core/model/step';
import { exploreReference } from '../../src/core/search/reference';

const scenario = findBuiltinScenario('direct-pin-retry')!;
const termination = new Set(['fault-completes'] as const);
const limits = { maxStates: 100_000, maxDepth: 400, timeoutMs: 60_000 };

/** The v6.8 program with one step's effect replaced: the way a patch would break it. */
function withBrokenStep(id: string, run: StepDef['run']): Program {
  const program = new Program(scenario, findKernel('v6.8')!);
  const step = program.allSteps().find((s) => s.id === id);
  assert.ok(step, id);
  step.run = run;
  return program;
}

describe('termination: deadlock and livelock under weak fairness', () => {
  it('the v6.8 pin loser retries but always terminates (no false livelock)', () => {
    const outcome = exploreReference(new Program(scenario, findKernel('v6.8')!), termination, limits);
    assert.equal(outcome.verdict, 'verified');
  });

  it('a pin that is never cleared makes the loser retry forever: a livelock with a replayable cycle', () => {
    const program = withBrokenStep('do_swap_page.swapcache_clear', (m, c) => {
      m.setTflag(c.t, T_PINNED, false); // forgets to drop SWAP_HAS_CACHE
      return NEXT;
    });
    const outcome = exploreReference(program, termination, limits);
    assert.equal(outcome.verdict, 'violation');
    assert.match(outcome.message!, /^livelock: /);
    assert.ok(outcome.schedule!.cycle!.length > 0, 'the counterexample has a repeating part');
  });

  it('a PTL that is never released leaves the other fault waiting forever: a deadlock', () => {
    const program = withBrokenStep('do_swap_page.unlock_ptl', (m, c) => {
      const f = m.tl(c.t, TF_FOLIO);
      if (f !== NONE) m.setLockOwner(f, NONE);
      return 'do_swap_page.swapcache_clear';
    });
    const outcome = exploreReference(program, termination, limits);
    assert.equal(outcome.verdict, 'violation');
    assert.match(outcome.message!, /^deadlock: T[01] at do_swap_page\.(pte_same|no_folio)/);
  });

  it('the livelock cycle returns to the state it started from, through the same step function', () => {
    const program = withBrokenStep('do_swap_page.swapcache_clear', (m, c) => {
      m.setTflag(c.t, T_PINNED, false);
      return NEXT;
    });
    const { prefix, cycle } = exploreReference(program, termination, limits).schedule!;
    const m = new Machine(program.layout, program.initialState());
    for (const c of prefix) program.execute(m, c.thread, c.branch);
    const entry = stateKey(m.s);
    for (const c of cycle!) {
      assert.ok(program.branches(m, c.thread) > c.branch, 'every cycle step is enabled');
      program.execute(m, c.thread, c.branch);
    }
    assert.equal(stateKey(m.s), entry);
  });
});
