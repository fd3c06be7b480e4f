import { strict as assert } from 'assert';
import { findBuiltinScenario, findKernel } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { NONE, TF_FOLIO } from '../../src/core/model/state';
import { exploreReference } from '../../src/core/search/reference';
import { assertCycleCloses, withBrokenStep, withPinNeverCleared } from './helpers/program';

const scenario = findBuiltinScenario('direct-pin-retry')!;
const termination = new Set(['fault-completes'] as const);
const limits = { maxStates: 100_000, maxDepth: 400, timeoutMs: 60_000 };

describe('termination: deadlock and livelock under weak fairness', () => {
  it('the v6.8 pin loser retries but always terminates (no false livelock)', () => {
    const outcome = exploreReference(new Program(scenario, findKernel('v6.8')!), termination, limits);
    assert.equal(outcome.verdict, 'verified');
  });

  it('a pin that is never cleared makes the loser retry forever: a livelock with a replayable cycle', () => {
    const program = withPinNeverCleared(scenario);
    const outcome = exploreReference(program, termination, limits);
    assert.equal(outcome.verdict, 'violation');
    assert.match(outcome.message!, /^livelock: /);
    assert.ok(outcome.schedule!.cycle!.length > 0, 'the counterexample has a repeating part');
  });

  it('a PTL that is never released leaves the other fault waiting forever: a deadlock', () => {
    const program = withBrokenStep(scenario, 'v6.8', 'do_swap_page.unlock_ptl', (m, c) => {
      const f = m.tl(c.t, TF_FOLIO);
      if (f !== NONE) m.setLockOwner(f, NONE);
      return 'do_swap_page.swapcache_clear';
    });
    const outcome = exploreReference(program, termination, limits);
    assert.equal(outcome.verdict, 'violation');
    assert.match(outcome.message!, /^deadlock: T[01] at do_swap_page\.(pte_same|no_folio)/);
  });

  it('the livelock cycle returns to the state it started from, through the same step function', () => {
    const program = withPinNeverCleared(scenario);
    assertCycleCloses(program, exploreReference(program, termination, limits).schedule!);
  });
});
