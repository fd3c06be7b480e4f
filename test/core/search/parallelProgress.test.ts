/**
 * What the parallel strategy reports while it runs, and the progress line the CLI draws from it: the states and
 * depth the workers reach, with or without fault-completes (whose workers also record the state graph).
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

  /** States and depth are reported, and neither goes down; the states grow (the deepest depth may be reached early). */
  function assertGrowing(reports: readonly SearchStats[]): void {
    for (const field of ['states', 'maxDepth'] as const) {
      const values = reports.map((report) => report[field]);
      assert.ok(values[0] > 0, `${field}: ${values.join(', ')}`);
      for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], `${field}: ${values.join(', ')}`);
    }
    const states = reports.map((report) => report.states);
    assert.ok(states.at(-1)! > states[0], `states grow: ${states.join(', ')}`);
    assert.match(progressText(reports.at(-1)!, 'large on v6.8'), /^large on v6\.8: [1-9][\d,]* states, [\d,]+\/s, depth [1-9]\d*, \d+\.\d\d s$/);
  }

  it('reports the states of the store the explorers share, and their depth', () => {
    assertGrowing(progressOfParallel(2, safety));
  });

  it('reports them as well while recording the state graph for the livelock check, on one worker or two', () => {
    assertGrowing(progressOfParallel(1, s1.properties));
    assertGrowing(progressOfParallel(2, s1.properties));
  });
});
