import { strict as assert } from 'assert';
import { BUILTIN_SCENARIOS, findKernel, type PropertyId } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { mergeOutcomes } from '../../../src/core/search/shard';
import { findStrategy, STRATEGIES } from '../../../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS, type StrategyOptions } from '../../../src/core/search/strategy';
import type { SearchOutcome } from '../../../src/core/search/verdict';

const stats = (states: number, transitions = states * 2): SearchOutcome['stats'] => ({ states, transitions, ms: 10, maxDepth: states });

describe('sharding', function () {
  this.timeout(60_000);

  describe('mergeOutcomes', () => {
    const verified: SearchOutcome = { verdict: 'verified', stats: stats(10) };
    const bounded: SearchOutcome = { verdict: 'bounded', bound: 'time', stats: stats(20) };
    const long: SearchOutcome = { verdict: 'violation', property: 'no-lost-write', message: 'a', schedule: { prefix: [{ thread: 0, branch: 0 }, { thread: 1, branch: 0 }] }, stats: stats(5) };
    const short: SearchOutcome = { verdict: 'violation', property: 'no-stale-install', message: 'b', schedule: { prefix: [{ thread: 1, branch: 0 }] }, stats: stats(7) };

    it('a violation wins (the shortest schedule), then a bound, else verified', () => {
      assert.equal(mergeOutcomes([verified, long, bounded, short]).property, 'no-stale-install');
      assert.deepEqual(mergeOutcomes([verified, bounded, verified]).bound, 'time');
      assert.equal(mergeOutcomes([verified, verified]).verdict, 'verified');
    });

    it('sums the counts and keeps the deepest depth', () => {
      const merged = mergeOutcomes([verified, bounded, long]);
      assert.deepEqual(merged.stats, { states: 35, transitions: 70, ms: 30, maxDepth: 20 });
    });

    it('refuses an empty list', () => {
      assert.throws(() => mergeOutcomes([]), /no outcomes/);
    });
  });

  describe('shards merged agree with the unsharded search', () => {
    const run = (program: Program, props: ReadonlySet<PropertyId>, strategy: string, options: Partial<StrategyOptions>) =>
      findStrategy(strategy)!.run(program, props, { maxStates: 200_000, maxDepth: 400, timeoutMs: 60_000 }, { ...DEFAULT_STRATEGY_OPTIONS, ...options });

    for (const scenario of BUILTIN_SCENARIOS) {
      it(scenario.id, () => {
        const cases = [
          { kernel: 'v6.7', props: new Set(scenario.properties), count: 2 },
          { kernel: 'v6.8', props: new Set(scenario.properties.filter((p) => p !== 'fault-completes')), count: 3 },
        ];
        for (const { kernel, props, count } of cases) {
          const program = new Program(scenario, findKernel(kernel)!);
          const whole = run(program, props, 'dfs', {});
          const parts = Array.from({ length: count }, (_, index) => run(program, props, 'dfs', { shard: { index, count } }));
          const merged = mergeOutcomes(parts);
          assert.equal(merged.verdict, whole.verdict, `${kernel}, ${count} shards`);
          assert.equal(merged.property, whole.property, `${kernel}, ${count} shards`);
          if (whole.verdict === 'verified') assert.ok(merged.stats.states >= whole.stats.states, 'together the shards store every state');
        }
      });
    }

    it('random walks split by walk index: the shards together run exactly the unsharded walks', () => {
      const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'direct-pin-retry')!;
      const program = new Program(scenario, findKernel('v6.8')!);
      const props = new Set(scenario.properties);
      const whole = run(program, props, 'random', { walks: 30 });
      const parts = [0, 1, 2].map((index) => run(program, props, 'random', { walks: 30, shard: { index, count: 3 } }));
      assert.equal(whole.bound, 'samples');
      assert.equal(mergeOutcomes(parts).stats.transitions, whole.stats.transitions);
    });
  });

  describe('what each strategy says it takes', () => {
    // Front ends refuse --shard and warn of --seed and --workers by these declarations: they must be true.
    const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'direct-pin-retry')!;
    const program = new Program(scenario, findKernel('v6.8')!);
    const props = new Set(scenario.properties.filter((p) => p !== 'fault-completes'));
    const limits = { maxStates: 200_000, maxDepth: 400, timeoutMs: 60_000 };
    for (const strategy of STRATEGIES) {
      it(strategy.id, () => {
        const run = (options: Partial<StrategyOptions>) => strategy.run(program, props, limits, { ...DEFAULT_STRATEGY_OPTIONS, walks: 30, ...options }).stats.transitions;
        const whole = run({});
        const firstOfTwo = run({ shard: { index: 0, count: 2 } });
        if (strategy.takes.shard) assert.notEqual(firstOfTwo, whole, 'a shard does other work than the whole search');
        else assert.equal(firstOfTwo, whole, 'ignores the shard');
        if (strategy.takes.seed) assert.notEqual(run({ seed: 12345 }), whole, 'draws on the seed');
        else assert.equal(run({ seed: 12345 }), whole, 'ignores the seed');
        if (!strategy.takes.workers) assert.equal(run({ workers: 1 }), whole, 'ignores the worker count');
      });
    }
  });
});
