import { strict as assert } from 'assert';
import fc from 'fast-check';
import { BUILTIN_SCENARIOS, KERNEL_VERSIONS, type KernelVersion, type Scenario } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { Machine, stateKey, T_MMAP_READ, TF_AUX, TF_OP } from '../../src/core/model/state';
import { raceScenarioArb } from './helpers/random-scenario';

/** States explored per scenario and kernel: enough to pass every kind of fault and swapoff exit. */
const STATES = 20_000;

/**
 * Breadth-first over a scenario's states: in each, a page's count of VMA-lock holders is the number of threads
 * that hold it (a fault on the page, or swapoff unusing it), and no thread back at the access or at swapoff's
 * page walk still holds one. Returns the first state that breaks it, in words.
 */
function brokenHold(scenario: Scenario, kernel: KernelVersion): string | undefined {
  const program = new Program(scenario, kernel);
  const first = program.initialState();
  const seen = new Set([stateKey(first)]);
  const queue = [first];
  for (let i = 0; i < queue.length && i < STATES; i++) {
    const s = queue[i];
    const m = new Machine(program.layout, s);
    const holders = new Array<number>(scenario.pages.length).fill(0);
    for (let t = 0; t < program.threadCount; t++) {
      if (!m.tflag(t, T_MMAP_READ)) continue;
      const op = scenario.threads[t].ops[m.tl(t, TF_OP)];
      holders[op.op === 'swapoff' ? m.tl(t, TF_AUX) : scenario.pages.findIndex((p) => 'page' in op && p.name === op.page)]++;
      const at = program.nextStep(s, t)?.step.id;
      if (at === 'handle_pte_fault.orig_pte' || at === 'try_to_unuse.next_page') return `${kernel.id}: ${scenario.threads[t].name} holds a VMA lock at ${at}`;
    }
    for (let p = 0; p < holders.length; p++) {
      if (m.vmaReaders(p) !== holders[p]) return `${kernel.id}: ${scenario.pages[p].name} counts ${m.vmaReaders(p)} holders, ${holders[p]} hold it`;
    }
    for (let t = 0; t < program.threadCount; t++) {
      for (let b = 0; b < program.branches(m, t); b++) {
        const next = new Machine(program.layout, s.slice());
        program.execute(next, t, b);
        const key = stateKey(next.s);
        if (!seen.has(key)) {
          seen.add(key);
          queue.push(next.s);
        }
      }
    }
  }
  return undefined;
}

describe('VMA-lock holds: every fault and swapoff exit drops what it took', function () {
  this.timeout(300_000);
  it('on every built-in scenario and kernel version', () => {
    for (const scenario of BUILTIN_SCENARIOS) for (const kernel of KERNEL_VERSIONS) assert.equal(brokenHold(scenario, kernel), undefined, scenario.id);
  });

  it('on random scenarios with forks, munmap and swapoff', () => {
    fc.assert(
      fc.property(raceScenarioArb, fc.constantFrom(...KERNEL_VERSIONS), (scenario, kernel) => {
        assert.equal(brokenHold(scenario, kernel), undefined, JSON.stringify(scenario));
      }),
      { numRuns: 80, seed: 20261127 },
    );
  });
});
