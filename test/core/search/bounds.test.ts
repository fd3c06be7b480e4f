import { strict as assert } from 'assert';
import type { MessagePort } from 'worker_threads';
import { checkScenario, findBuiltinScenario, findKernel, type Scenario } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { SearchBudget } from '../../../src/core/search/budget';
import { livelockFromRecordedGraph } from '../../../src/core/search/parallel';
import { failureReply, type CheckJob, type CheckReply, type WorkerJob, type WorkerReply } from '../../../src/core/search/parallelProtocol';
import { mergeOutcomes } from '../../../src/core/search/shard';
import { SharedFingerprintSet } from '../../../src/core/search/sharedFingerprintSet';
import { findStrategy, STRATEGY_IDS } from '../../../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../../../src/core/search/strategy';
import type { SearchLimits, SearchStats } from '../../../src/core/search/verdict';

const passing = findBuiltinScenario('anon-direct-aba')!;
const program = new Program(passing, findKernel('v6.8')!);
const props = new Set(passing.properties);
const roomy: SearchLimits = { maxStates: 1_000_000, maxDepth: 400, timeoutMs: 60_000 };
const EXHAUSTIVE = ['dfs', 'bfs', 'portfolio', 'parallel', 'preempt', 'reference'];

/** A scenario big enough that no strategy finishes it within a few milliseconds. */
const large: Scenario = {
  ...passing,
  id: 'large',
  device: { ...passing.device, slots: 3, allocator: 'any-free' },
  threads: [
    ...passing.threads,
    { name: 'T2', ops: [{ op: 'write', page: 'p0' }, { op: 'read', page: 'p0' }] },
    { name: 'R2', ops: [{ op: 'reclaim', page: 'p0' }] },
  ],
  bounds: { maxStates: 50_000_000, maxDepth: 2_000, timeoutMs: 60_000 },
};

function run(strategy: string, limits: Partial<SearchLimits>, target = program) {
  return findStrategy(strategy)!.run(target, props, { ...roomy, ...limits }, { ...DEFAULT_STRATEGY_OPTIONS, workers: 2, walks: 100_000, preemptionBound: 100 });
}

/** Runs `body` while allocations of the global `name` larger than `limit` fail as V8's do when the machine has no room. */
function withAllocationsUpTo<T>(name: 'Int32Array' | 'Uint8Array' | 'SharedArrayBuffer', limit: number, body: () => T): T {
  const real = globalThis[name];
  // Views of a buffer (`subarray` makes them through this constructor too) allocate nothing.
  const Limited = class extends (real as new (...args: unknown[]) => object) {
    constructor(...args: unknown[]) {
      if (typeof args[0] === 'number' && args[0] > limit) throw new RangeError('Array buffer allocation failed');
      super(...args);
    }
  };
  Object.assign(globalThis, { [name]: Limited });
  try {
    return body();
  } finally {
    Object.assign(globalThis, { [name]: real });
  }
}

describe('bounds end a search as bounded, naming the bound', function () {
  this.timeout(60_000);

  it('every exhaustive strategy verifies the v6.8 fix within roomy bounds', () => {
    for (const strategy of EXHAUSTIVE.filter((s) => s !== 'reference')) assert.equal(run(strategy, {}).verdict, 'verified', strategy);
  });

  it('states', () => {
    for (const strategy of EXHAUSTIVE) {
      const outcome = run(strategy, { maxStates: 500 });
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'states'], strategy);
    }
  });

  it('states: the parallel strategy and shards stop in the top levels they explore before sharing them out', () => {
    for (const maxStates of [1, 10]) {
      const parallel = run('parallel', { maxStates });
      const shard = findStrategy('dfs')!.run(program, props, { ...roomy, maxStates }, { ...DEFAULT_STRATEGY_OPTIONS, shard: { index: 0, count: 2 } });
      for (const [name, outcome] of [['parallel', parallel], ['shard', shard]] as const) {
        assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'states'], name);
        assert.equal(outcome.stats.states, maxStates + 1, `${name}: one state past the bound, as dfs stops`);
      }
    }
  });

  it('depth', () => {
    for (const strategy of EXHAUSTIVE) {
      const outcome = run(strategy, { maxDepth: 10 });
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'depth'], strategy);
    }
  });

  it('time', () => {
    const large8 = new Program(large, findKernel('v6.8')!);
    for (const strategy of [...EXHAUSTIVE, 'random', 'pct']) {
      const outcome = run(strategy, { timeoutMs: 30 }, large8);
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'time'], strategy);
    }
  });

  it('memory', () => {
    const large8 = new Program(large, findKernel('v6.8')!);
    for (const strategy of ['dfs', 'bfs', 'portfolio', 'preempt', 'parallel']) {
      const outcome = run(strategy, { maxMemoryMb: 0.05 }, large8);
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'memory'], strategy);
    }
  });

  it('memory: the parallel strategy counts the state graph it records for fault-completes', () => {
    // 3 MiB hold this search's shared store (2 MiB), but not the store with ids (3 MiB) and the recorded graph.
    const safety = new Set([...props].filter((p) => p !== 'fault-completes'));
    const options = { ...DEFAULT_STRATEGY_OPTIONS, workers: 2 };
    const limits = { ...roomy, maxMemoryMb: 3 };
    assert.equal(findStrategy('parallel')!.run(program, safety, limits, options).verdict, 'verified');
    const all = findStrategy('parallel')!.run(program, props, limits, options);
    assert.deepEqual([all.verdict, all.bound], ['bounded', 'memory']);
    assert.equal(findStrategy('parallel')!.run(program, props, { ...limits, maxMemoryMb: 64 }, options).verdict, 'verified');
  });

  it('memory: a store or level the machine cannot allocate ends the search at its memory bound, with what it found so far', () => {
    const large8 = new Program(large, findKernel('v6.8')!);
    const safety = new Set([...props].filter((p) => p !== 'fault-completes'));
    const search = (strategy: string) => findStrategy(strategy)!.run(large8, safety, roomy, { ...DEFAULT_STRATEGY_OPTIONS, workers: 2 });
    // The visited store of dfs and portfolio (Int32Array), bfs's levels of states (Uint8Array), the table the parallel workers share.
    const outcomes = [
      ...['dfs', 'portfolio'].map((strategy) => [strategy, withAllocationsUpTo('Int32Array', 1 << 16, () => search(strategy))] as const),
      ['bfs', withAllocationsUpTo('Uint8Array', 1 << 20, () => search('bfs'))] as const,
      ['parallel', withAllocationsUpTo('SharedArrayBuffer', 4 << 20, () => search('parallel'))] as const,
    ];
    for (const [strategy, outcome] of outcomes) {
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'memory'], strategy);
      assert.ok(outcome.stats.states > 10_000, `${strategy}: ${outcome.stats.states} states`);
    }
  });

  it('memory: arrays the machine cannot give a worker or the livelock check end the run at the memory bound; other errors stay errors', () => {
    const noRoom = new RangeError('Array buffer allocation failed');
    const job = { job: {} as WorkerJob, port: {} as MessagePort };
    const check = { check: {} as CheckJob, port: {} as MessagePort };
    assert.deepEqual(failureReply(job, noRoom), { outcome: { verdict: 'bounded', bound: 'memory', stats: { states: 0, transitions: 0, ms: 0, maxDepth: 0 } } });
    assert.deepEqual(failureReply(check, noRoom), { answer: { bound: 'memory' } });
    assert.match((failureReply(job, new RangeError('Invalid typed array length: -1')) as WorkerReply).error ?? '', /Invalid typed array length/);
    assert.match((failureReply(check, new Error('bug')) as CheckReply).error ?? '', /bug/);
    // The other workers were stopped by it: the merged outcome names the memory, not their cancellation.
    const stats = { states: 1, transitions: 1, ms: 1, maxDepth: 1 };
    const merged = mergeOutcomes([{ verdict: 'bounded', bound: 'cancelled', stats }, { verdict: 'bounded', bound: 'memory', stats }]);
    assert.deepEqual([merged.verdict, merged.bound], ['bounded', 'memory']);
    // The coordinator's own arrays for the check.
    const searched = { verdict: 'verified' as const, stats };
    const store = SharedFingerprintSet.allocate(1024, true);
    const checked = (error: Error) => () =>
      livelockFromRecordedGraph(program, props, roomy, true, new SearchBudget(roomy), searched, store, [], () => {
        throw error;
      });
    assert.deepEqual([checked(noRoom)().verdict, checked(noRoom)().bound], ['bounded', 'memory']);
    assert.throws(checked(new RangeError('Maximum call stack size exceeded')), /Maximum call stack/);
  });

  it('cancellation', () => {
    for (const strategy of STRATEGY_IDS.filter((s) => s !== 'reference')) {
      const outcome = run(strategy, { isCancelled: () => true });
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'cancelled'], strategy);
    }
  });

  it('samples: random walks and PCT never verify', () => {
    for (const strategy of ['random', 'pct']) {
      const outcome = findStrategy(strategy)!.run(program, props, roomy, { ...DEFAULT_STRATEGY_OPTIONS, walks: 50 });
      assert.deepEqual([outcome.verdict, outcome.bound], ['bounded', 'samples'], strategy);
    }
  });

  it('preemptions: the preempt strategy verifies only when its bound cut nothing', () => {
    const cut = findStrategy('preempt')!.run(program, props, roomy, { ...DEFAULT_STRATEGY_OPTIONS, preemptionBound: 1 });
    assert.deepEqual([cut.verdict, cut.bound], ['bounded', 'preemptions']);
    const failing = new Program(passing, findKernel('v6.7')!);
    const found = findStrategy('preempt')!.run(failing, props, roomy, { ...DEFAULT_STRATEGY_OPTIONS, preemptionBound: 3 });
    assert.equal(found.verdict, 'violation', 'S1 needs at most three preemptions');
  });

  it('progress is reported, at most every 100 ms', () => {
    const reports: number[] = [];
    const onProgress = (stats: SearchStats) => reports.push(stats.ms);
    for (const strategy of ['dfs', 'parallel']) {
      reports.length = 0;
      run(strategy, { onProgress, timeoutMs: 450 }, new Program(large, findKernel('v6.8')!));
      assert.ok(reports.length >= 2, `${strategy}: ${reports.length} reports`);
      for (let i = 1; i < reports.length; i++) assert.ok(reports[i] - reports[i - 1] >= 95, `${strategy}: ${reports.join(', ')}`);
    }
  });

  it('checkScenario passes the bounds through and says which held', () => {
    const result = checkScenario(passing, { kernel: 'v6.8', strategy: 'dfs', maxStates: 100, maxMemoryMb: 64 });
    assert.deepEqual([result.verdict, result.bound], ['bounded', 'states']);
    assert.deepEqual(result.limits, { maxStates: 100, maxDepth: passing.bounds.maxDepth, timeoutMs: passing.bounds.timeoutMs, maxMemoryMb: 64 });
    assert.throws(() => checkScenario(passing, { strategy: 'fastest' }), /unknown search strategy "fastest"/);
  });
});
