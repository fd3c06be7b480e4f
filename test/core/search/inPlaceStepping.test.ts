import { strict as assert } from 'assert';
import { builtinScenarios, findKernel, type PropertyId } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine, stateKey } from '../../../src/core/model/state';
import { UndoLog } from '../../../src/core/model/undoLog';
import { DepthFirstSearch } from '../../../src/core/search/depthFirst';
import { fingerprintSums, fingerprintWords, finishFingerprint, prepareShares, updateSums, wordsFor } from '../../../src/core/search/fingerprint';
import { FingerprintSet } from '../../../src/core/search/fingerprintSet';
import { Prng } from '../../../src/core/search/prng';
import { initialRoot } from '../../../src/core/search/roots';
import { ThreadSymmetry } from '../../../src/core/search/symmetry';
import { successor } from '../../../src/core/search/transition';

/** A state of `bytes` bytes in a zero-padded word buffer, as the depth-first search keeps it. */
function paddedState(bytes: number): { state: Uint8Array; words: Int32Array } {
  const words = new Int32Array(wordsFor(bytes));
  return { state: new Uint8Array(words.buffer, 0, bytes), words };
}

const fingerprintOf = (words: Int32Array): string => {
  const fp = new Int32Array(2);
  fingerprintWords(words, 0, words.length, fp);
  return `${fp[0]}:${fp[1]}`;
};

/** A dfs store that remembers every fingerprint stored. */
class KeepingStore extends FingerprintSet {
  readonly seen = new Set<string>();
  override add(h1: number, h2: number): number {
    const slot = super.add(h1, h2);
    if (slot >= 0) this.seen.add(`${h1}:${h2}`);
    return slot;
  }
}

describe('stepping states in place', () => {
  it('the undo log takes nested steps back exactly, and the updated sums equal the sums of the whole state', () => {
    const rng = new Prng(7, 0);
    const bytes = 61;
    const { state, words } = paddedState(bytes);
    const log = new UndoLog(words);
    const m = new Machine({} as never, state);
    m.undo = log;
    prepareShares(words.length);
    for (let i = 0; i < bytes; i++) state[i] = rng.below(256);
    const sums = new Int32Array(2);
    fingerprintSums(words, 0, words.length, sums);
    const marks: { mark: number; before: Uint8Array; sums: Int32Array }[] = [];
    for (let round = 0; round < 2000; round++) {
      if (marks.length > 0 && rng.below(3) === 0) {
        const top = marks.pop()!;
        log.rollback(top.mark);
        assert.deepEqual(state, top.before, `round ${round}: rollback restores the state`);
        sums.set(top.sums);
        continue;
      }
      const entry = { mark: log.begin(), before: state.slice(), sums: sums.slice() };
      // Some bytes written twice, some written with the value they had, some whole ranges.
      for (let k = rng.below(6); k >= 0; k--) {
        const at = rng.below(bytes);
        m.put(at, rng.below(3) === 0 ? state[at] : rng.below(256));
      }
      if (rng.below(4) === 0) {
        const from = rng.below(bytes);
        const to = Math.min(bytes, from + rng.below(12));
        log.touchRange(from, to);
        for (let at = from; at < to; at++) state[at] = rng.below(256);
      }
      updateSums(words, log.positions, log.oldValues, entry.mark, log.length, sums);
      const whole = new Int32Array(2);
      fingerprintSums(words, 0, words.length, whole);
      assert.deepEqual(sums, whole, `round ${round}: updated sums`);
      marks.push(entry);
    }
    const finished = new Int32Array(2);
    finishFingerprint(sums[0], sums[1], finished);
    const direct = new Int32Array(2);
    fingerprintWords(words, 0, words.length, direct);
    assert.deepEqual(finished, direct);
  });

  it('the depth-first search stores exactly the fingerprints of the reachable representatives, hashed whole', () => {
    // direct-pin-retry has two interchangeable faulting threads: successors are permuted in place too.
    const scenario = builtinScenarios().find((s) => s.id === 'direct-pin-retry')!;
    for (const kernel of ['v6.7', 'v6.8']) {
      const program = new Program(scenario, findKernel(kernel)!);
      const symmetry = ThreadSymmetry.of(program)!;
      assert.ok(symmetry);
      const props = new Set<PropertyId>(['swap-count-consistent']);
      for (const livelock of [false, true]) {
        const store = new KeepingStore(64, true);
        const limits = { maxStates: 1_000_000, maxDepth: 10_000, timeoutMs: 60_000 };
        const outcome = new DepthFirstSearch(program, props, limits, { por: !livelock, symmetry: true, livelock, store }).run(initialRoot(program));
        assert.equal(outcome.verdict, 'verified');

        // Every reachable representative, by plain breadth-first search over copies.
        const expected = new Set<string>();
        const known = new Set<string>();
        const sigma = new Uint8Array(program.threadCount);
        const represent = (s: Uint8Array): Uint8Array => {
          symmetry.canonicalise(s, sigma);
          return s;
        };
        const queue = [represent(program.initialState())];
        known.add(stateKey(queue[0]));
        for (let i = 0; i < queue.length; i++) {
          const { state, words } = paddedState(program.layout.size);
          state.set(queue[i]);
          expected.add(fingerprintOf(words));
          const m = new Machine(program.layout, queue[i]);
          for (let t = 0; t < program.threadCount; t++) {
            for (let b = 0, n = program.branches(m, t); b < n; b++) {
              const next = represent(successor(program, queue[i], t, b).s);
              const key = stateKey(next);
              if (known.has(key)) continue;
              known.add(key);
              queue.push(next);
            }
          }
        }
        assert.equal(store.seen.size, expected.size, `${kernel}, livelock ${livelock}: states`);
        for (const fp of expected) assert.ok(store.seen.has(fp), `${kernel}, livelock ${livelock}: a state stored under another fingerprint`);
      }
    }
  });
});
