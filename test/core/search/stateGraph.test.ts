/**
 * The parallel strategy's livelock check: the graph recorded by searches over a store that gives state
 * ids, above and below a frontier as the coordinator and its workers record it, holds a weakly fair
 * cycle exactly when the depth-first livelock pass finds a livelock. Run here on one thread, so that a
 * patched program (whose livelock no built-in scenario has) reaches the searches.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { BUILTIN_SCENARIOS, findKernel, KERNEL_IDS, type PropertyId } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { SearchBudget } from '../../../src/core/search/budget';
import { DepthFirstSearch, livelockPass } from '../../../src/core/search/depthFirst';
import { topLevels, type FrontierGraph } from '../../../src/core/search/frontier';
import { checkOnWorkers, livelockFromRecordedGraph } from '../../../src/core/search/parallel';
import { GrowingSharedStore, SharedFingerprintSet } from '../../../src/core/search/sharedFingerprintSet';
import { addLoad, dealBuckets, emptyLoad, GRAPH_BUCKETS, type GraphLoad } from '../../../src/core/search/graphPartition';
import { CheckArrays, fairCycleInRecordedGraph, frontierRecords } from '../../../src/core/search/stateGraph';
import { EDGE_WORDS, IDENTITY_PERMUTATION, packLabel, packMasks, packPermutation, RECORD_HEADER, StateGraphLog, StateGraphRecorder } from '../../../src/core/search/stateGraphLog';
import { ThreadSymmetry } from '../../../src/core/search/symmetry';
import type { SearchLimits, SearchOutcome, SearchStats } from '../../../src/core/search/verdict';
import { assertCycleCloses, withPinNeverCleared } from '../helpers/program';
import { differentialScenarioArb } from '../helpers/random-scenario';

const LIMITS: SearchLimits = { maxStates: 200_000, maxDepth: 2_000, timeoutMs: 60_000 };
/** Searches that recorded states above a frontier as well as below it (the coordinator's part of the graph). */
let withFrontier = 0;

const spinningOf = (answer: ReturnType<typeof fairCycleInRecordedGraph>): number | undefined => {
  assert.ok(answer === undefined || 'spinning' in answer, 'not stopped by a bound');
  return answer?.spinning;
};

interface Recorded {
  outcome: SearchOutcome;
  /** Transitions run above the frontier and below it. */
  transitions: number;
  store: SharedFingerprintSet;
  chunks: Int32Array[];
  load: GraphLoad;
}

/** Records the graph as the parallel coordinator and its workers would, on this thread; undefined when the frontier itself met a violation. */
function record(program: Program, props: ReadonlySet<PropertyId>, symmetry: boolean, rootsWanted: number): Recorded | undefined {
  const above: FrontierGraph = { states: [], edges: [] };
  const frontier = topLevels(program, props, LIMITS, symmetry, rootsWanted, above);
  if (frontier.violation) return undefined;
  if (frontier.above.length > 0 && frontier.roots.length > 0) withFrontier++;
  const visited = new GrowingSharedStore(SharedFingerprintSet.allocate(1 << 8, true));
  for (const keys of [frontier.above, frontier.rootKeys]) for (let i = 0; i < keys.length; i += 2) visited.add(keys[i], keys[i + 1]);
  const below = new StateGraphLog();
  let next = 0;
  const search = new DepthFirstSearch(program, props, LIMITS, { por: false, symmetry, livelock: false, store: visited, rootsStored: true, graph: new StateGraphRecorder(below) });
  const outcome = search.run(() => frontier.roots[next++]);
  const { store } = visited;
  store.flush();
  const aboveLog = frontierRecords(above, (h1, h2) => store.idOf(h1, h2));
  const load = emptyLoad();
  addLoad(load, aboveLog.load);
  addLoad(load, below.load);
  return { outcome, transitions: frontier.transitions + outcome.stats.transitions, store, chunks: [...aboveLog.filled(), ...below.filled()], load };
}

/** Searches whose check was split in two parts that both held states. */
let splitInTwo = 0;

/**
 * The check in two parts, one after the other over the same arrays: a transition from one part into the
 * other (a class the partition got wrong) is an error. The spinning threads of a part's cycle.
 */
function answerInTwoParts({ chunks, store, load }: Recorded, threads: number): number | undefined {
  const parts = dealBuckets(load, 2);
  if (parts.length === 2) splitInTwo++;
  const arrays = CheckArrays.allocate(store.idBound, threads);
  const answers = parts.map((part, index) => spinningOf(fairCycleInRecordedGraph(chunks, store.idBound, threads, undefined, { ...part, index, arrays })));
  return answers.find((answer) => answer !== undefined);
}

/**
 * The recorded graph's answer: the spinning threads of a weakly fair cycle, undefined without one, or
 * 'violation' when the search stopped at a safety violation or deadlock first (the check never runs then).
 */
function recordedAnswer(program: Program, props: ReadonlySet<PropertyId>, symmetry: boolean, rootsWanted: number): number | undefined | 'violation' {
  const recorded = record(program, props, symmetry, rootsWanted);
  if (!recorded || recorded.outcome.verdict === 'violation') return 'violation';
  assert.equal(recorded.outcome.verdict, 'verified', `the search completes: ${recorded.outcome.bound}`);
  const { store, chunks } = recorded;
  const whole = spinningOf(fairCycleInRecordedGraph(chunks, store.idBound, program.threadCount));
  assert.equal(answerInTwoParts(recorded, program.threadCount) !== undefined, whole !== undefined, 'the check split in two parts agrees with the whole');
  return whole;
}

/** The livelock pass's answer in the same terms (names of the spinning threads). */
function passAnswer(outcome: SearchOutcome): string | undefined | 'violation' {
  if (outcome.verdict === 'verified') return undefined;
  assert.equal(outcome.verdict, 'violation');
  const livelock = /^livelock: (.*) can loop forever/.exec(outcome.message!);
  return livelock ? livelock[1] : 'violation';
}

const names = (program: Program, spinning: number | undefined | 'violation'): string | undefined | 'violation' =>
  typeof spinning === 'number' ? program.threadNames.filter((_, t) => (spinning >> t) & 1).join(', ') : spinning;

/**
 * Both answers agree, with and without symmetry, with no frontier and with one. `skipBounded`: a scenario
 * the pass cannot search within LIMITS (without symmetry) answers nothing to compare, and is skipped.
 */
function assertAgree(program: Program, props: ReadonlySet<PropertyId>, label: string, skipBounded = false): string | undefined | 'violation' {
  const pass = livelockPass(program, props, LIMITS, false);
  if (skipBounded && pass.verdict === 'bounded') return undefined;
  const expected = passAnswer(pass);
  for (const symmetry of [false, true]) {
    for (const rootsWanted of [1, 12]) {
      const recorded = recordedAnswer(program, props, symmetry, rootsWanted);
      const where = `${label}, symmetry ${symmetry}, ${rootsWanted} roots wanted`;
      if (expected === 'violation' || recorded === 'violation') {
        assert.equal(recorded, expected, where);
      } else if (symmetry && ThreadSymmetry.of(program)) {
        // Under symmetry the spinning set may name other members of an orbit: only the verdict is compared.
        assert.equal(recorded !== undefined, expected !== undefined, where);
      } else {
        assert.equal(names(program, recorded), expected, where);
      }
    }
  }
  return expected;
}

describe('the recorded state graph (the parallel livelock check)', function () {
  this.timeout(120_000);

  it('finds the livelock of a pin that is never cleared, between two symmetric faults', () => {
    const program = withPinNeverCleared(BUILTIN_SCENARIOS.find((s) => s.id === 'direct-pin-retry')!);
    const found = assertAgree(program, new Set<PropertyId>(['fault-completes']), 'pin never cleared');
    assert.ok(found !== undefined && found !== 'violation', `a livelock: ${found}`);
  });

  it("the coordinator's step reports that livelock with a counterexample whose cycle closes", () => {
    const program = withPinNeverCleared(BUILTIN_SCENARIOS.find((s) => s.id === 'direct-pin-retry')!);
    const props = new Set<PropertyId>(['fault-completes']);
    for (const symmetry of [false, true]) {
      const recorded = record(program, props, symmetry, 12)!;
      assert.equal(recorded.outcome.verdict, 'verified');
      const outcome = livelockFromRecordedGraph(program, props, LIMITS, symmetry, new SearchBudget(LIMITS), recorded.outcome, recorded.store, recorded.chunks);
      assert.equal(outcome.verdict, 'violation');
      assert.match(outcome.message!, /^livelock: /);
      assert.ok(outcome.schedule?.cycle?.length);
      assertCycleCloses(program, outcome.schedule!);
      assert.equal(recorded.chunks.length, 0, 'the records are let go before the livelock pass');
    }
  });

  it('leaves out the steps that complete an operation, which lie on no cycle', () => {
    const program = new Program(BUILTIN_SCENARIOS.find((s) => s.id === 'anon-direct-aba')!, findKernel('v6.8')!);
    for (const rootsWanted of [1, 12]) {
      const { outcome, transitions, chunks } = record(program, new Set<PropertyId>(['fault-completes']), true, rootsWanted)!;
      assert.equal(outcome.verdict, 'verified');
      let recorded = 0;
      for (const chunk of chunks) for (let at = 0; at < chunk.length; at += RECORD_HEADER + EDGE_WORDS * chunk[at + 3]) recorded += chunk[at + 3];
      assert.ok(recorded > 0 && recorded < transitions, `${recorded} of ${transitions} transitions recorded`);
    }
  });

  it('finds none where the livelock pass finds none: every built-in scenario and kernel', () => {
    for (const scenario of BUILTIN_SCENARIOS) {
      for (const kernel of KERNEL_IDS) {
        const program = new Program(scenario, findKernel(kernel)!);
        const props = new Set(scenario.properties.filter((p) => p !== 'no-freed-slot-read'));
        assertAgree(program, props, `${scenario.id} on ${kernel}`);
      }
    }
    assert.ok(withFrontier > BUILTIN_SCENARIOS.length, `the frontier's records take part (${withFrontier} searches)`);
    assert.ok(splitInTwo > BUILTIN_SCENARIOS.length, `checks split in two parts that both hold states (${splitInTwo} searches)`);
  });

  it('agrees with the livelock pass on random scenarios (fast-check)', () => {
    fc.assert(
      fc.property(differentialScenarioArb, fc.constantFrom(...KERNEL_IDS), (generated, kernel) => {
        const program = new Program(generated, findKernel(kernel)!);
        assertAgree(program, new Set<PropertyId>(['fault-completes']), `${kernel} (${JSON.stringify(generated)})`, true);
      }),
      { numRuns: 25, seed: 777 },
    );
  });

  /** Records states given by id as [disabled, unfinished, transitions as [target, label], bucket (0 if absent)] (a hole: an id no state took). */
  function recordedLog(states: ([number, number, [number, number][], number?] | undefined)[]): StateGraphLog {
    const log = new StateGraphLog();
    states.forEach((state, id) => state && log.state(id, packMasks(state[0], state[1]), state[3] ?? 0, Int32Array.from(state[2].flat()), 0, 2 * state[2].length));
    return log;
  }
  const recorded = (states: Parameters<typeof recordedLog>[0]): Int32Array[] => recordedLog(states).filled();
  const move = (target: number, thread: number, sigma?: number[]): [number, number] => [target, packLabel(thread, 0, sigma ? packPermutation(sigma) : IDENTITY_PERMUTATION)];

  describe('weak fairness on small graphs (threads 0 and 1, both unfinished)', () => {
    const BOTH = 0b11;
    /** The check from state 0, for states given as [disabled, transitions]. */
    function check(states: [number, [number, number][]][]): number | undefined {
      return spinningOf(fairCycleInRecordedGraph(recorded(states.map(([disabled, edges]) => [disabled, BOTH, edges])), states.length, 2));
    }

    it('a cycle in which both threads move is fair, the moves of its tree edges included', () => {
      assert.equal(check([[0, [move(1, 0)]], [0, [move(0, 1)]]]), BOTH);
    });

    it('a thread that never moves is covered where it is disabled, and only there', () => {
      assert.equal(check([[0, [move(1, 0)]], [0b10, [move(0, 0)]]]), 0b01);
      assert.equal(check([[0, [move(1, 0)]], [0, [move(0, 0)]]]), undefined);
    });

    it('under symmetry, a cycle that comes back permuted moves every thread of the orbit', () => {
      // One quotient state: thread 0 moves and the successor's representative swaps the two.
      assert.equal(check([[0, [move(0, 0, [1, 0])]]]), BOTH);
      assert.equal(check([[0, [move(0, 0)]]]), undefined);
    });

    it('three threads: labels compose in the right order (a 3-cycle is not its own inverse)', () => {
      const chunks = recorded([[0, 0b111, [move(1, 0, [1, 2, 0])]], [0b100, 0b111, [move(0, 0, [2, 0, 1])]]]);
      // Real thread 0 moves from A, real thread 2 from B; real thread 1 is disabled at B.
      assert.equal(spinningOf(fairCycleInRecordedGraph(chunks, 2, 3)), 0b101);
    });

    it('a state outside every cycle contributes nothing', () => {
      assert.equal(check([[0, [move(1, 1)]], [0, [move(1, 0), move(2, 0)]], [0b10, []]]), undefined);
    });
  });

  describe('in parts (two threads, both unfinished)', () => {
    const BOTH = 0b11;
    /** A fair cycle between states 0 and 1 in bucket 3; a path from 2 to 3 in bucket 5, or with `crossing`, from 2 into state 0. */
    const graph = (crossing = false): StateGraphLog =>
      recordedLog([[0, BOTH, [move(1, 0)], 3], [0, BOTH, [move(0, 1)], 3], [0, BOTH, [move(crossing ? 0 : 3, 0)], 5], [0, BOTH, [], 5]]);
    const only = (...buckets: number[]): Uint8Array => {
      const mask = new Uint8Array(GRAPH_BUCKETS);
      for (const b of buckets) mask[b] = 1;
      return mask;
    };

    it('a part looks only at its buckets', () => {
      const arrays = CheckArrays.allocate(4, 2);
      const chunks = graph().filled();
      // One after the other over the same arrays, as the workers share them.
      assert.equal(spinningOf(fairCycleInRecordedGraph(chunks, 4, 2, undefined, { buckets: only(5), states: 2, index: 0, arrays })), undefined);
      assert.equal(spinningOf(fairCycleInRecordedGraph(chunks, 4, 2, undefined, { buckets: only(3), states: 2, index: 1, arrays })), BOTH);
    });

    it('a transition into another part is an error, whatever that part has done with the state', () => {
      const crossing = graph(true).filled();
      // State 0 is part 0's: not yet indexed, unseen, on its stack (its first discovery), its component closed.
      for (const [doing, order] of [['not yet indexed', -1], ['unseen', -2], ['on its stack', 0], ['done', -3]] as const) {
        const arrays = CheckArrays.allocate(4, 2);
        arrays.order[0] = order;
        assert.throws(() => fairCycleInRecordedGraph(crossing, 4, 2, undefined, { buckets: only(5), states: 2, index: 1, arrays }),
          /state 0 is reached but was never expanded \(or is another part's\)/, doing);
      }
      // And as it happens: part 0 runs first, then part 1 meets its closed state.
      const arrays = CheckArrays.allocate(4, 2);
      assert.equal(spinningOf(fairCycleInRecordedGraph(crossing, 4, 2, undefined, { buckets: only(3), states: 2, index: 0, arrays })), BOTH);
      assert.throws(() => fairCycleInRecordedGraph(crossing, 4, 2, undefined, { buckets: only(5), states: 2, index: 1, arrays }), /another part's/);
    });

    it('the workers run the parts at once: a livelock in either part is found, none where there is none', () => {
      const budget = new SearchBudget(LIMITS);
      const progress = (): SearchStats => ({ states: 0, transitions: 0, ms: 0, maxDepth: 0 });
      const log = graph();
      const parts = dealBuckets(log.load, 2);
      assert.equal(parts.length, 2);
      assert.deepEqual(checkOnWorkers(log.filled(), 4, 2, parts, budget, progress), { spinning: BOTH });
      const inTheOther = recordedLog([[0, BOTH, [move(1, 0)], 3], [0, BOTH, [], 3], [0, BOTH, [move(3, 0)], 5], [0, BOTH, [move(2, 1)], 5]]);
      assert.deepEqual(checkOnWorkers(inTheOther.filled(), 4, 2, dealBuckets(inTheOther.load, 2), budget, progress), { spinning: BOTH });
      const none = recordedLog([[0, BOTH, [move(1, 0)], 3], [0, BOTH, [], 3], [0, BOTH, [move(3, 0)], 5], [0, BOTH, [], 5]]);
      assert.equal(checkOnWorkers(none.filled(), 4, 2, dealBuckets(none.load, 2), budget, progress), undefined);
    });

    it('Ctrl-C stops the parts on the workers', () => {
      // Two chains long enough that the parts are still running at the coordinator's first poll, in buckets 1 and 2.
      const states = 2_000_000;
      const half = states / 2;
      const chain = new StateGraphLog();
      const edge = new Int32Array(EDGE_WORDS);
      for (let v = 0; v < states; v++) {
        [edge[0], edge[1]] = move(v + 1, 0);
        chain.state(v, packMasks(0, 1), v < half ? 1 : 2, edge, 0, (v + 1) % half !== 0 ? EDGE_WORDS : 0);
      }
      const budget = new SearchBudget({ ...LIMITS, isCancelled: () => true });
      const answer = checkOnWorkers(chain.filled(), states, 1, dealBuckets(chain.load, 2), budget, () => ({ states: 0, transitions: 0, ms: 0, maxDepth: 0 }));
      assert.deepEqual(answer, { bound: 'cancelled' });
    });
  });

  it('stops at the bound its poll returns (Ctrl-C, the time bound) on a long graph', () => {
    const states = 200_000;
    const chain = recorded(Array.from({ length: states }, (_, v) => [0, 1, v + 1 < states ? [move(v + 1, 0)] : []]));
    let polls = 0;
    const answer = fairCycleInRecordedGraph(chain, states, 1, () => (++polls === 2 ? 'cancelled' : undefined));
    assert.deepEqual(answer, { bound: 'cancelled' });
    assert.equal(polls, 2);
  });

  it('polls while it scans records that are not its part’s, so a stop does not wait for the scan', () => {
    const log = new StateGraphLog();
    const none = new Int32Array(0);
    for (let v = 0; v < 200_000; v++) log.state(v, packMasks(0, 1), 7, none, 0, 0);
    let polls = 0;
    const answer = fairCycleInRecordedGraph(log.filled(), 200_000, 1, () => (++polls === 2 ? 'cancelled' : undefined),
      { buckets: new Uint8Array(GRAPH_BUCKETS), states: 0, index: 0, arrays: CheckArrays.allocate(200_000, 1) });
    assert.deepEqual(answer, { bound: 'cancelled' });
  });

  it('a state reached but never expanded, or expanded twice, is an error, not a silent answer; an id no state took is not', () => {
    const reachesTwo = [0, 1, [move(2, 0)]] as [number, number, [number, number][]];
    assert.throws(() => fairCycleInRecordedGraph(recorded([reachesTwo]), 3, 1), /state 2 is reached but was never expanded/);
    assert.equal(fairCycleInRecordedGraph(recorded([reachesTwo, undefined, [1, 1, []]]), 3, 1), undefined);
    const twice = [...recorded([reachesTwo, undefined, [1, 1, []]]), ...recorded([reachesTwo])];
    assert.throws(() => fairCycleInRecordedGraph(twice, 3, 1), /state 0 was expanded twice/);
  });
});
