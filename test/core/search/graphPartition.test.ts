/**
 * How the parallel livelock check splits the recorded graph: a state's bucket stays the same along
 * every step that completes no operation and across its symmetry orbit (so no recorded transition
 * leaves a part), and the buckets are dealt out evenly.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { BUILTIN_SCENARIOS, findKernel, KERNEL_IDS, type Scenario } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine, stateKey } from '../../../src/core/model/state';
import { dealBuckets, emptyLoad, GRAPH_BUCKETS, OperationClasses } from '../../../src/core/search/graphPartition';
import { ThreadSymmetry } from '../../../src/core/search/symmetry';
import { successor } from '../../../src/core/search/transition';
import { differentialScenarioArb } from '../helpers/random-scenario';

/** Breadth-first over at most `limit` states: each step that completes no operation keeps the bucket, and so does canonicalising. */
function assertBucketsKept(scenario: Scenario, kernel: string, limit: number): Set<number> {
  const program = new Program(scenario, findKernel(kernel)!);
  const classes = new OperationClasses(program);
  const symmetry = ThreadSymmetry.of(program);
  const sigma = new Uint8Array(program.threadCount);
  const buckets = new Set<number>();
  const queue = [program.initialState()];
  const known = new Set([stateKey(queue[0])]);
  for (let i = 0; i < queue.length && i < limit; i++) {
    const state = queue[i];
    const bucket = classes.bucketOf(state);
    buckets.add(bucket);
    if (symmetry) {
      const representative = state.slice();
      symmetry.canonicalise(representative, sigma);
      assert.equal(classes.bucketOf(representative), bucket, `${scenario.id} on ${kernel}: the representative's bucket`);
    }
    const m = new Machine(program.layout, state);
    for (let t = 0; t < program.threadCount; t++) {
      for (let b = 0, n = program.branches(m, t); b < n; b++) {
        const next = successor(program, state, t, b).s;
        if (program.operationIndex(next, t) === program.operationIndex(state, t)) {
          assert.equal(classes.bucketOf(next), bucket, `${scenario.id} on ${kernel}: thread ${t} keeps its operation`);
        }
        const key = stateKey(next);
        if (!known.has(key)) {
          known.add(key);
          queue.push(next);
        }
      }
    }
  }
  return buckets;
}

describe('the partition of the recorded graph', () => {
  it('keeps a state’s bucket along steps that complete no operation and across its orbit: every built-in scenario and kernel', function () {
    this.timeout(60_000);
    let split = 0;
    for (const scenario of BUILTIN_SCENARIOS) {
      for (const kernel of KERNEL_IDS) if (assertBucketsKept(scenario, kernel, 3_000).size > 1) split++;
    }
    assert.ok(split > BUILTIN_SCENARIOS.length, `states fall in several buckets (${split} scenario/kernel pairs)`);
  });

  it('keeps it on random scenarios (fast-check)', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(differentialScenarioArb, fc.constantFrom(...KERNEL_IDS), (scenario, kernel) => {
        assertBucketsKept(scenario, kernel, 1_000);
      }),
      { numRuns: 40, seed: 4242 },
    );
  });

  it('deals the buckets evenly by their words, each to one part, and leaves out parts that get none', () => {
    const load = emptyLoad();
    [40, 30, 10, 10, 5, 5].forEach((words, b) => {
      load.words[b * 3] = words;
      load.states[b * 3] = words / 5;
    });
    const parts = dealBuckets(load, 2);
    const wordsOf = (buckets: Uint8Array): number => load.words.reduce((sum, words, b) => sum + (buckets[b] ? words : 0), 0);
    assert.deepEqual(parts.map((part) => wordsOf(part.buckets)), [50, 50]);
    assert.deepEqual(parts.map((part) => part.states), [10, 10]);
    for (let b = 0; b < GRAPH_BUCKETS; b++) assert.equal(parts[0].buckets[b] + parts[1].buckets[b], load.words[b] > 0 ? 1 : 0, `bucket ${b}`);

    const one = emptyLoad();
    one.words[7] = 100;
    one.states[7] = 9;
    assert.deepEqual(dealBuckets(one, 3).map((part) => [part.states, [...part.buckets.keys()].filter((b) => part.buckets[b])]), [[9, [7]]]);
  });
});
