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
import { DepthFirstSearch, livelockPass, type VisitedStore } from '../../../src/core/search/depthFirst';
import { topLevels, type FrontierGraph } from '../../../src/core/search/frontier';
import { livelockFromRecordedGraph } from '../../../src/core/search/parallel';
import { SharedFingerprintSet, STORE_NEEDS_GROWTH } from '../../../src/core/search/sharedFingerprintSet';
import { fairCycleInRecordedGraph, frontierRecords } from '../../../src/core/search/stateGraph';
import { EDGE_WORDS, IDENTITY_PERMUTATION, packLabel, packMasks, packPermutation, RECORD_HEADER, StateGraphLog, StateGraphRecorder } from '../../../src/core/search/stateGraphLog';
import { ThreadSymmetry } from '../../../src/core/search/symmetry';
import type { SearchLimits, SearchOutcome } from '../../../src/core/search/verdict';
import { assertCycleCloses, withPinNeverCleared } from '../helpers/program';
import { differentialScenarioArb } from '../helpers/random-scenario';

const LIMITS: SearchLimits = { maxStates: 200_000, maxDepth: 2_000, timeoutMs: 60_000 };
/** Searches that recorded states above a frontier as well as below it (the coordinator's part of the graph). */
let withFrontier = 0;

/** A growing store with ids, as the coordinator grows the shared one. */
class GrowingStore implements VisitedStore {
  store = SharedFingerprintSet.allocate(1 << 8, true);
  add(h1: number, h2: number): number {
    for (;;) {
      const slot = this.store.add(h1, h2);
      if (slot !== STORE_NEEDS_GROWTH) return slot;
      this.store.flush();
      this.store = this.store.grownCopy();
    }
  }
  get size(): number {
    return this.store.size;
  }
  get bytes(): number {
    return this.store.bytes;
  }
  idAt(slot: number): number {
    return this.store.idAt(slot);
  }
}

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
}

/** Records the graph as the parallel coordinator and its workers would, on this thread; undefined when the frontier itself met a violation. */
function record(program: Program, props: ReadonlySet<PropertyId>, symmetry: boolean, rootsWanted: number): Recorded | undefined {
  const above: FrontierGraph = { states: [], edges: [] };
  const frontier = topLevels(program, props, LIMITS, symmetry, rootsWanted, above);
  if (frontier.violation) return undefined;
  if (frontier.above.length > 0 && frontier.roots.length > 0) withFrontier++;
  const visited = new GrowingStore();
  for (const keys of [frontier.above, frontier.rootKeys]) for (let i = 0; i < keys.length; i += 2) visited.add(keys[i], keys[i + 1]);
  const below = new StateGraphLog();
  let next = 0;
  const search = new DepthFirstSearch(program, props, LIMITS, { por: false, symmetry, livelock: false, store: visited, rootsStored: true, graph: new StateGraphRecorder(below) });
  const outcome = search.run(() => frontier.roots[next++]);
  const { store } = visited;
  store.flush();
  return { outcome, transitions: frontier.transitions + outcome.stats.transitions, store, chunks: [...frontierRecords(above, (h1, h2) => store.idOf(h1, h2)), ...below.filled()] };
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
  return spinningOf(fairCycleInRecordedGraph(chunks, store.idBound, program.threadCount));
}

/** The livelock pass's answer in the same terms (names of the spinning threads). */
function passAnswer(program: Program, props: ReadonlySet<PropertyId>, symmetry: boolean): string | undefined | 'violation' {
  const outcome = livelockPass(program, props, LIMITS, symmetry);
  if (outcome.verdict === 'verified') return undefined;
  assert.equal(outcome.verdict, 'violation');
  const livelock = /^livelock: (.*) can loop forever/.exec(outcome.message!);
  return livelock ? livelock[1] : 'violation';
}

const names = (program: Program, spinning: number | undefined | 'violation'): string | undefined | 'violation' =>
  typeof spinning === 'number' ? program.threadNames.filter((_, t) => (spinning >> t) & 1).join(', ') : spinning;

/** Both answers agree, with and without symmetry, with no frontier and with one. */
function assertAgree(program: Program, props: ReadonlySet<PropertyId>, label: string): string | undefined | 'violation' {
  const expected = passAnswer(program, props, false);
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
      for (const chunk of chunks) for (let at = 0; at < chunk.length; at += RECORD_HEADER + EDGE_WORDS * chunk[at + 2]) recorded += chunk[at + 2];
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
  });

  it('agrees with the livelock pass on random scenarios (fast-check)', () => {
    fc.assert(
      fc.property(differentialScenarioArb, fc.constantFrom(...KERNEL_IDS), (generated, kernel) => {
        const program = new Program(generated, findKernel(kernel)!);
        assertAgree(program, new Set<PropertyId>(['fault-completes']), `${kernel} (${JSON.stringify(generated)})`);
      }),
      { numRuns: 25, seed: 777 },
    );
  });

  /** Records states given by id as [disabled, unfinished, transitions as [target, label]] (a hole: an id no state took). */
  function recorded(states: ([number, number, [number, number][]] | undefined)[]): Int32Array[] {
    const log = new StateGraphLog();
    states.forEach((state, id) => state && log.state(id, packMasks(state[0], state[1]), Int32Array.from(state[2].flat()), 0, 2 * state[2].length));
    return log.filled();
  }
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

  it('stops at the bound its poll returns (Ctrl-C, the time bound) on a long graph', () => {
    const states = 200_000;
    const chain = recorded(Array.from({ length: states }, (_, v) => [0, 1, v + 1 < states ? [move(v + 1, 0)] : []]));
    let polls = 0;
    const answer = fairCycleInRecordedGraph(chain, states, 1, () => (++polls === 2 ? 'cancelled' : undefined));
    assert.deepEqual(answer, { bound: 'cancelled' });
    assert.equal(polls, 2);
  });

  it('a state reached but never expanded, or expanded twice, is an error, not a silent answer; an id no state took is not', () => {
    const reachesTwo = [0, 1, [move(2, 0)]] as [number, number, [number, number][]];
    assert.throws(() => fairCycleInRecordedGraph(recorded([reachesTwo]), 3, 1), /state 2 is reached but was never expanded/);
    assert.equal(fairCycleInRecordedGraph(recorded([reachesTwo, undefined, [1, 1, []]]), 3, 1), undefined);
    const twice = [...recorded([reachesTwo, undefined, [1, 1, []]]), ...recorded([reachesTwo])];
    assert.throws(() => fairCycleInRecordedGraph(twice, 3, 1), /state 0 was expanded twice/);
  });
});
