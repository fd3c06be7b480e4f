/**
 * What the parallel strategy reports while it runs, and the progress line the CLI draws from it: real figures,
 * and nothing shown that the workers do not report (their depth; the livelock pass's states).
 */
import { strict as assert } from 'assert';
import { progressText } from '../../../src/cli/progress';
import { findBuiltinScenario, findKernel, type PropertyId, type Scenario } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { findStrategy } from '../../../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../../../src/core/search/strategy';
import type { SearchStats } from '../../../src/core/search/verdict';

const s1 = findBuiltinScenario('anon-direct-aba')!;
/** Big enough that the search is still running when it is stopped, a second in. */
const large: Scenario = {
  ...s1,
  id: 'large',
  device: { ...s1.device, slots: 3, allocator: 'any-free' },
  threads: [...s1.threads, { name: 'T2', ops: [{ op: 'write', page: 'p0' }, { op: 'read', page: 'p0' }] }, { name: 'R2', ops: [{ op: 'reclaim', page: 'p0' }] }],
};
const program = new Program(large, findKernel('v6.8')!);
const safety = s1.properties.filter((p) => p !== 'fault-completes');

function progressOfParallel(workers: number, props: readonly PropertyId[]): SearchStats[] {
  const reports: SearchStats[] = [];
  const limits = { maxStates: 50_000_000, maxDepth: 2_000, timeoutMs: 1_000, onProgress: (stats: SearchStats) => reports.push(stats) };
  const outcome = findStrategy('parallel')!.run(program, new Set(props), limits, { ...DEFAULT_STRATEGY_OPTIONS, workers });
  assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'time']);
  assert.ok(reports.length >= 3, `${reports.length} reports`);
  return reports;
}

describe('parallel search progress', function () {
  this.timeout(60_000);

  it('counts the states of the store the workers share, and leaves the depth out of the line', () => {
    const reports = progressOfParallel(2, safety);
    const states = reports.map((report) => report.states);
    assert.ok(states[0] > 0, states.join(', '));
    assert.ok(states.at(-1)! > states[0], `the states grow: ${states.join(', ')}`);
    for (let i = 1; i < states.length; i++) assert.ok(states[i] >= states[i - 1], states.join(', '));
    assert.match(progressText(reports.at(-1)!, 'large on v6.8'), /^large on v6\.8: [\d,]+ states, [\d,]+\/s, \d+\.\d\d s$/);
  });

  it('with the livelock pass alone, whose states stay in its worker, counts transitions instead', () => {
    const reports = progressOfParallel(1, s1.properties);
    const transitions = reports.map((report) => report.transitions);
    assert.ok(transitions.at(-1)! > transitions[0], `the transitions grow: ${transitions.join(', ')}`);
    assert.match(progressText(reports.at(-1)!, 'large on v6.8'), /^large on v6\.8: [1-9][\d,]* transitions, [\d,]+\/s, \d+\.\d\d s$/);
  });
});
