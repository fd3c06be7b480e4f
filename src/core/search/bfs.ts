/**
 * `bfs`: breadth-first search for the shortest counterexample. The reference's algorithm with compact
 * storage: fingerprints instead of states, a parent pointer and the choice per state, and only two
 * levels of states in memory. Thread symmetry applies (choices are recorded against representatives and
 * lifted at the end). Livelocks need the SCCs of the whole graph: after a complete search without a
 * violation, the depth-first engine's livelock pass decides them, unless no step ever jumped back in
 * its path (then the graph has no cycle; `retries.ts`).
 */
import type { Program } from '../model/program';
import { Machine, THREAD_FIELDS } from '../model/state';
import type { PropertyId } from '../scenario/types';
import type { Choice } from '../trace/schedule';
import { unlessOutOfMemory } from './allocationFailure';
import { SearchBudget } from './budget';
import { livelockPass } from './depthFirst';
import { fingerprintWords } from './fingerprint';
import { FingerprintSet, STORE_FULL } from './fingerprintSet';
import { ScheduleLifter } from './lift';
import { ParentTable } from './parentTable';
import { jumpedBack } from './retries';
import { StateFrames } from './stateFrames';
import type { Strategy, StrategyOptions } from './strategy';
import { ThreadSymmetry } from './symmetry';
import { deadlockFailure, stateFailure, transitionFailure } from './transition';
import type { Bound, SearchLimits, SearchOutcome } from './verdict';

export function breadthFirstOutcome(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions): SearchOutcome {
  const budget = new SearchBudget(limits);
  const symmetry = options.symmetry ? ThreadSymmetry.of(program) : undefined;
  const threads = program.threadCount;
  const size = program.layout.size;
  const store = new FingerprintSet(1 << 12, false, budget.memoryBytes);
  const parents = new ParentTable();
  const work = new StateFrames(size, 2);
  const m = new Machine(program.layout, work.view(0));
  const sigma = new Uint8Array(threads);
  const fp = new Int32Array(2);
  const branchCounts = new Int32Array(threads);
  let level = new StateFrames(size, 1024);
  let next = new StateFrames(size, 1024);
  let transitions = 0;
  let depth = 0;
  let cut: Bound | undefined;
  let retriesSeen = false;
  const threadBlock = program.layout.thread;

  const stats = () => ({ states: store.size, transitions, ms: budget.elapsed(), maxDepth: depth, storeBytes: store.bytes + parents.bytes });
  const lifter = new ScheduleLifter(program, symmetry);
  const start = lifter.represent(program.initialState());
  const lifted = (canonical: Choice[]): Choice[] => lifter.lift(start.representative, start.perm, canonical).choices;
  const violation = (id: number, failure: { property: PropertyId; message: string }, last?: Choice): SearchOutcome => {
    const path = parents.pathTo(id);
    if (last) path.push(last);
    return { verdict: 'violation', ...failure, schedule: { prefix: lifted(path) }, stats: stats() };
  };

  work.write(0, program.initialState());
  const initialFailure = stateFailure(program, m, props);
  if (initialFailure) return { verdict: 'violation', ...initialFailure, schedule: { prefix: [] }, stats: stats() };
  work.write(0, start.representative);
  fingerprintWords(work.ints, 0, work.words, fp);
  store.add(fp[0], fp[1]);
  parents.push(-1, 0, 0);
  level.write(0, work.view(0));
  let levelStart = 0;
  let levelSize = 1;

  while (levelSize > 0) {
    let nextSize = 0;
    const nextStart = levelStart + levelSize;
    for (let i = 0; i < levelSize; i++) {
      const id = levelStart + i;
      work.copyFrom(level, i, 0);
      m.s = work.view(0);
      let enabled = 0;
      for (let t = 0; t < threads; t++) {
        branchCounts[t] = program.branches(m, t);
        if (branchCounts[t] > 0) enabled++;
      }
      if (props.has('fault-completes')) {
        const dead = deadlockFailure(program, m, enabled);
        if (dead) return violation(id, dead);
      }
      if (depth >= limits.maxDepth) {
        if (enabled > 0) cut = 'depth';
        continue;
      }
      for (let t = 0; t < threads; t++) {
        for (let b = 0; b < branchCounts[t]; b++) {
          if (budget.pollDue()) {
            const bound = budget.poll(stats);
            if (bound) return { verdict: 'bounded', bound, stats: stats() };
          }
          work.copyWords(0, 1);
          m.s = work.view(1);
          m.violation = undefined;
          program.execute(m, t, b);
          transitions++;
          if (!retriesSeen) retriesSeen = jumpedBack(work.view(0), m.s, threadBlock + t * THREAD_FIELDS);
          if (symmetry) symmetry.canonicaliseAfterStep(m.s, sigma, t);
          fingerprintWords(work.ints, work.words, work.words, fp);
          const added = store.add(fp[0], fp[1]);
          if (added === STORE_FULL) return { verdict: 'bounded', bound: 'memory', stats: stats() };
          // A known state had its own properties checked when it was stored.
          if (added >= 0 || m.violation !== undefined) {
            const failure = transitionFailure(program, m, props);
            if (failure) return violation(id, failure, { thread: t, branch: b });
          }
          if (added < 0) continue;
          if (store.size > limits.maxStates) return { verdict: 'bounded', bound: 'states', stats: stats() };
          // No room on the machine for the parent or the next level: stop at the memory bound, as with a budget.
          const recorded = unlessOutOfMemory(() => {
            parents.push(id, t, b);
            next.ensure(nextSize);
            return true;
          });
          if (!recorded) return { verdict: 'bounded', bound: 'memory', stats: stats() };
          if (store.bytes + parents.bytes + level.bytes.byteLength + next.bytes.byteLength > budget.memoryBytes) {
            return { verdict: 'bounded', bound: 'memory', stats: stats() };
          }
          next.write(nextSize++, m.s);
          m.s = work.view(0);
        }
      }
    }
    [level, next] = [next, level];
    levelStart = nextStart;
    levelSize = nextSize;
    if (levelSize > 0) depth++;
  }

  if (cut) return { verdict: 'bounded', bound: cut, stats: stats() };
  if (!props.has('fault-completes') || !retriesSeen) return { verdict: 'verified', stats: stats() };
  const livelock = livelockPass(program, props, limits, options.symmetry);
  const total = stats();
  return { ...livelock, stats: { ...total, transitions: total.transitions + livelock.stats.transitions, ms: budget.elapsed() } };
}

export const bfsStrategy: Strategy = {
  id: 'bfs',
  summary: 'breadth-first search: shortest counterexamples, compact storage; livelocks by a depth-first SCC pass',
  exhaustive: true,
  takes: { seed: false, shard: false, workers: false },
  run: breadthFirstOutcome,
};
