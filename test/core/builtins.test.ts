import { strict as assert } from 'assert';
import { BUILTIN_SCENARIOS, checkScenario, KERNEL_IDS, findBuiltinScenario } from '../../src/core';

describe('built-in scenarios: expected verdict on every kernel version, found by the reference explorer', () => {
  for (const scenario of BUILTIN_SCENARIOS) {
    describe(scenario.id, () => {
      it('lists an expectation for every kernel version', () => {
        assert.deepEqual(Object.keys(scenario.expect).sort(), [...KERNEL_IDS].sort());
      });
      for (const kernel of KERNEL_IDS) {
        const expected = scenario.expect[kernel];
        it(`${expected === 'fail' ? 'fails' : 'passes'} on ${kernel}`, () => {
          const result = checkScenario(scenario, { kernel, strategy: 'reference' });
          const detail = `${result.property ?? ''} ${result.message ?? ''} ${result.schedule ?? ''}`;
          assert.equal(result.verdict, expected === 'fail' ? 'violation' : 'verified', detail);
          if (result.verdict === 'violation') {
            assert.ok(result.trace, 'a violation comes with a trace');
            assert.ok(result.trace.violation, 'the trace marks the violating step');
            assert.equal(result.trace.violation.property, result.property);
          }
        });
      }
    });
  }
});

describe('anon-direct-aba on v6.7 has the S1 shape', () => {
  const result = checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7', strategy: 'reference' });
  const trace = result.trace!;
  const name = (i: number) => trace.threads[trace.steps[i].thread].name;
  const find = (from: number, pred: (i: number) => boolean) => {
    for (let i = from; i < trace.steps.length; i++) if (pred(i)) return i;
    return -1;
  };

  it('is a stale install', () => {
    assert.equal(result.property, 'no-stale-install');
  });

  it('frees the slot, reuses it, and then a pte_same() passes on the reused slot', () => {
    const freed = find(0, (i) => trace.steps[i].stepId === 'do_swap_page.swap_free' && /slot 0 freed/.test(trace.steps[i].label));
    assert.ok(freed >= 0, 'a fault frees slot 0');
    const winner = name(freed);
    const reused = find(freed, (i) => trace.steps[i].stepId === 'add_to_swap.get_swap_pages' && /allocated slot 0/.test(trace.steps[i].label));
    assert.ok(reused > freed, 'reclaim allocates slot 0 again after it was freed');
    const aba = find(reused, (i) => trace.steps[i].stepId === 'do_swap_page.pte_same' && /passes/.test(trace.steps[i].label));
    assert.ok(aba > reused, 'a pte_same() passes after the reuse');
    assert.notEqual(name(aba), winner, 'the pte_same() that passes belongs to the losing thread');
    const loserRead = find(0, (i) => name(i) === name(aba) && trace.steps[i].stepId === 'do_swap_page.swap_read');
    assert.ok(loserRead >= 0 && loserRead < reused, 'the loser read the slot before it was reused');
    assert.ok(trace.violation!.step >= aba, 'the violation comes at or after that pte_same');
  });

  it('replays the schedule to the same final state', () => {
    assert.equal(trace.states.length, trace.steps.length + 1);
    assert.equal(trace.steps[trace.violation!.step].stepId, 'do_swap_page.set_pte');
  });
});
