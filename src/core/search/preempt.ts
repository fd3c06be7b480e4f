/**
 * `preempt`: exhaustive search of the schedules with at most `preemptionBound` preemptions (CHESS's
 * iterative context bounding, one bound). A preemption is a switch away from a thread that could have
 * gone on; switching when the running thread blocked or finished is free. Most races need one or two.
 *
 * Stored keys are (state, last thread) with the fewest preemptions that reached them (one payload
 * byte); a key reached again with fewer is searched again. When the bound never cut a schedule the
 * search was complete, and the verdict is as good as dfs's (livelocks by the engine's SCC pass).
 */
import type { Program } from '../model/program';
import { Machine } from '../model/state';
import type { PropertyId } from '../scenario/types';
import type { Choice } from '../trace/schedule';
import { SearchBudget } from './budget';
import { livelockPass } from './depthFirst';
import { fingerprintWithLast } from './fingerprint';
import { FingerprintSet, STORE_FULL } from './fingerprintSet';
import { StateFrames } from './stateFrames';
import type { Strategy, StrategyOptions } from './strategy';
import { deadlockFailure, stateFailure, transitionFailure } from './transition';
import type { Bound, SearchLimits, SearchOutcome } from './verdict';

export function preemptionBoundedOutcome(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions): SearchOutcome {
  const bound = Math.max(0, Math.min(254, options.preemptionBound));
  const budget = new SearchBudget(limits);
  const threads = program.threadCount;
  const frameCount = limits.maxDepth + 2;
  const frames = new StateFrames(program.layout.size, frameCount);
  const store = new FingerprintSet(1 << 12, true, budget.memoryBytes);
  const m = new Machine(program.layout, frames.view(0));
  const fp = new Int32Array(2);
  const last = new Int8Array(frameCount);
  const used = new Uint8Array(frameCount);
  const enabled = new Int32Array(frameCount);
  const cursor = new Int32Array(frameCount);
  const nextBranch = new Int32Array(frameCount);
  const branchCount = new Int32Array(frameCount * threads);
  const chosen: Choice[] = [];
  let transitions = 0;
  let deepest = 0;
  let cut: Bound | undefined;
  let preemptionCut = false;
  const stats = () => ({ states: store.size, transitions, ms: budget.elapsed(), maxDepth: deepest, storeBytes: store.bytes });

  /** The key of frame e's state when `lastThread` ran last. */
  const keyOf = (e: number, lastThread: number): void => fingerprintWithLast(frames.ints, e * frames.words, frames.words, lastThread, fp);
  /** Sets up frame e; returns a deadlock, if there is one. */
  const enter = (e: number, lastThread: number, preemptions: number, fresh: boolean): SearchOutcome | undefined => {
    m.s = frames.view(e);
    last[e] = lastThread;
    used[e] = preemptions;
    cursor[e] = 0;
    nextBranch[e] = 0;
    deepest = Math.max(deepest, e);
    let mask = 0;
    for (let t = 0; t < threads; t++) {
      const n = program.branches(m, t);
      branchCount[e * threads + t] = n;
      if (n > 0) mask |= 1 << t;
    }
    enabled[e] = mask;
    if (fresh && props.has('fault-completes')) {
      const dead = deadlockFailure(program, m, mask === 0 ? 0 : 1);
      if (dead) return { verdict: 'violation', ...dead, schedule: { prefix: chosen.slice(0, e) }, stats: stats() };
    }
    if (e >= limits.maxDepth) {
      if (mask !== 0) cut = 'depth';
      cursor[e] = threads;
    }
    return undefined;
  };

  frames.write(0, program.initialState());
  const initialFailure = stateFailure(program, m, props);
  if (initialFailure) return { verdict: 'violation', ...initialFailure, schedule: { prefix: [] }, stats: stats() };
  keyOf(0, -1);
  store.add(fp[0], fp[1]);
  const dead = enter(0, -1, 0, true);
  if (dead) return dead;

  for (let d = 0; d >= 0; ) {
    if (budget.pollDue()) {
      const stop = budget.poll(stats);
      if (stop) return { verdict: 'bounded', bound: stop, stats: stats() };
    }
    let t = cursor[d];
    while (t < threads && nextBranch[d] >= branchCount[d * threads + t]) {
      t = ++cursor[d];
      nextBranch[d] = 0;
    }
    if (t >= threads) {
      d--;
      continue;
    }
    const b = nextBranch[d]++;
    const previous = last[d];
    const preempts = previous >= 0 && t !== previous && (enabled[d] >> previous) & 1 ? 1 : 0;
    const preemptions = used[d] + preempts;
    if (preemptions > bound) {
      preemptionCut = true;
      continue;
    }
    const child = d + 1;
    frames.copyWords(d, child);
    m.s = frames.view(child);
    m.violation = undefined;
    program.execute(m, t, b);
    transitions++;
    chosen[d] = { thread: t, branch: b };
    keyOf(child, t);
    const added = store.add(fp[0], fp[1]);
    if (added === STORE_FULL) return { verdict: 'bounded', bound: 'memory', stats: stats() };
    if (added >= 0 || m.violation !== undefined) {
      const failure = transitionFailure(program, m, props);
      if (failure) return { verdict: 'violation', ...failure, schedule: { prefix: chosen.slice(0, child) }, stats: stats() };
    }
    if (added >= 0) {
      if (store.size > limits.maxStates) return { verdict: 'bounded', bound: 'states', stats: stats() };
      store.payload![added] = preemptions;
    } else {
      const slot = -(added + 1);
      if (store.payload![slot] <= preemptions) continue;
      store.payload![slot] = preemptions;
    }
    const deadlock = enter(child, t, preemptions, added >= 0);
    if (deadlock) return deadlock;
    d = child;
  }

  if (cut) return { verdict: 'bounded', bound: cut, stats: stats() };
  if (preemptionCut) return { verdict: 'bounded', bound: 'preemptions', stats: stats() };
  if (!props.has('fault-completes')) return { verdict: 'verified', stats: stats() };
  const livelock = livelockPass(program, props, limits, options.symmetry);
  return { ...livelock, stats: { ...stats(), transitions: transitions + livelock.stats.transitions } };
}

export const preemptStrategy: Strategy = {
  id: 'preempt',
  summary: 'exhaustive over schedules with at most --preemption-bound preemptions (verifies only if the bound never cut)',
  exhaustive: true,
  takes: { seed: false, shard: false, workers: false },
  run: preemptionBoundedOutcome,
};
