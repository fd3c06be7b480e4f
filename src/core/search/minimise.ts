/**
 * Minimisation of a counterexample: the shortest schedule that reaches the same kind of violation
 * (the same property at a step, a deadlock, or the same livelock cycle), and among the shortest the
 * one with the fewest preemptions (switches away from a thread that could have gone on).
 *
 * Breadth-first by length over states, each at its own breadth-first depth (a shortest path to
 * anything passes every state at that state's depth), keeping per (state, thread that ran last) the
 * best of the shortest paths that end there: fewest preemptions, then the lexicographically smallest
 * schedule, so that the result does not depend on the order of the search. Exact up to fingerprint
 * collisions. A step runs once per state, not once per (state, last thread). A schedule that violates
 * something else on the way is not a candidate, so the result replays to the same violation. For a
 * livelock the cycle stays; the lead-in becomes the shortest path to any state of it (its preemptions
 * are the lead-in's), and the cycle is rotated to start there.
 *
 * It explores at most everything within the original length; past its own budget it gives the
 * schedule back unchanged.
 *
 * The same search with no schedule to start from (`shortestViolation`) finds the shortest violation
 * of any safety property, or deadlock, with the fewest preemptions: already minimal. The portfolio runs
 * it with a small budget, so a shallow race comes out minimised without a depth-first search first.
 */
import type { Program } from '../model/program';
import { Machine, stateKey } from '../model/state';
import type { PropertyFailure } from '../model/properties';
import type { PropertyId } from '../scenario/types';
import type { Choice, Schedule } from '../trace/schedule';
import { fingerprintWords } from './fingerprint';
import { FingerprintIndex } from './fingerprintIndex';
import { FingerprintSet } from './fingerprintSet';
import { grown, ParentTable } from './parentTable';
import { StateFrames } from './stateFrames';
import { deadlockAt, stateFailure, transitionFailure } from './transition';

export interface MinimiseBudget {
  /** Records, (state, thread that ran last) pairs, the search may store. */
  maxStates: number;
  timeoutMs: number;
  /** Ends the search early, as its other bounds do: the schedule comes back as it was. */
  isCancelled?: () => boolean;
}

const DEFAULT_BUDGET: MinimiseBudget = { maxStates: 2_000_000, timeoutMs: 10_000 };

type Target =
  | { kind: 'step'; property: PropertyId; length: number }
  | { kind: 'deadlock'; length: number }
  | { kind: 'cycle'; states: Map<string, number>; cycle: Choice[]; length: number }
  /** Any failing step, failing state or deadlock within `length` steps. */
  | { kind: 'any'; length: number };

/** A schedule the breadth-first search found, and the failure it ends in (none for a cycle's lead-in). */
interface Found {
  schedule: Schedule;
  failure?: PropertyFailure;
}

/**
 * Per (state, last thread) records, each the best path to it so far: its parent record and choice (the
 * ParentTable), its preemptions, and once its layer is complete its rank in the lexicographic order of
 * the layer's paths.
 */
class Nodes extends ParentTable {
  preemptions: Uint16Array = new Uint16Array(1024);
  rank: Int32Array = new Int32Array(1024);

  add(parent: number, thread: number, branch: number, preemptions: number): number {
    const id = this.push(parent, thread, branch);
    this.preemptions[id] = preemptions;
    return id;
  }

  set(id: number, parent: number, thread: number, branch: number, preemptions: number): void {
    this.setParent(id, parent, thread, branch);
    this.preemptions[id] = preemptions;
  }

  /**
   * Whether a path of `preemptions` that takes (thread, branch) after record `parent` comes before the
   * path of record `than` (of the same length): fewer preemptions, then the smaller schedule.
   */
  precedes(preemptions: number, parent: number, thread: number, branch: number, than: number): boolean {
    return this.comesBefore(preemptions, parent, thread, branch, this.preemptions[than], this.parent[than], this.thread[than], this.branch[than]);
  }

  /**
   * Whether record `a`, reached with `aPreemptions`, comes before record `b` with `bPreemptions`: both of
   * one ranked layer, ordered by preemptions, then rank (the order of their paths).
   */
  ranksBefore(aPreemptions: number, a: number, bPreemptions: number, b: number): boolean {
    return aPreemptions !== bPreemptions ? aPreemptions < bPreemptions : this.rank[a] < this.rank[b];
  }

  /** The order of `precedes`, on two paths given as (preemptions, parent record, thread, branch). */
  comesBefore(preemptions: number, parent: number, thread: number, branch: number, thanPreemptions: number, thanParent: number, thanThread: number, thanBranch: number): boolean {
    if (preemptions !== thanPreemptions || parent !== thanParent) return this.ranksBefore(preemptions, parent, thanPreemptions, thanParent);
    return thread !== thanThread ? thread < thanThread : branch < thanBranch;
  }

  /** Ranks records (one layer's, all of whose parents are ranked) in the lexicographic order of their paths. */
  rankLayer(records: number[]): void {
    records.sort((a, b) => this.rank[this.parent[a]] - this.rank[this.parent[b]] || this.thread[a] - this.thread[b] || this.branch[a] - this.branch[b]);
    records.forEach((record, i) => (this.rank[record] = i));
  }

  protected override grow(n: number): void {
    super.grow(n);
    this.preemptions = grown(this.preemptions, n);
    this.rank = grown(this.rank, n);
  }
}

export function minimise(program: Program, props: ReadonlySet<PropertyId>, schedule: Schedule, budget: MinimiseBudget = DEFAULT_BUDGET): Schedule {
  const target = targetOf(program, props, schedule);
  if (!target || target.length === 0) return schedule;
  return shortest(program, props, target, budget)?.schedule ?? schedule;
}

export interface ShortestViolation {
  /** Undefined when there is none within the depth bound, or the budget ran out first. */
  found?: { schedule: Schedule; failure: PropertyFailure };
  /** Records ((state, last thread) pairs) stored, and steps executed. */
  keys: number;
  transitions: number;
}

/**
 * The shortest schedule, with the fewest preemptions, to a violation of any of `props` (a failing step
 * or state, or a deadlock with fault-completes) within `maxDepth` steps; livelocks are not looked for.
 */
export function shortestViolation(program: Program, props: ReadonlySet<PropertyId>, maxDepth: number, budget: MinimiseBudget): ShortestViolation {
  const tally = { keys: 0, transitions: 0 };
  if (stateFailure(program, new Machine(program.layout, program.initialState()), props)) return tally;
  const found = shortest(program, props, { kind: 'any', length: maxDepth }, budget, tally);
  return found?.failure ? { found: { schedule: found.schedule, failure: found.failure }, ...tally } : tally;
}

/** The best end of a layer so far: a step after a record, and the failure it ends in or the state it reaches. */
interface End {
  preemptions: number;
  parent: number;
  thread: number;
  branch: number;
  failure?: PropertyFailure;
  /** The next layer's state the step reaches, when that state (not the step) completes the target. */
  state?: number;
}

/** The breadth-first search of both: undefined when nothing within the target's length reaches it, or past the budget. */
function shortest(program: Program, props: ReadonlySet<PropertyId>, target: Target, budget: MinimiseBudget, tally = { keys: 0, transitions: 0 }): Found | undefined {
  const started = Date.now();
  const threads = program.threadCount;
  /** Record slots per state: 0 for "no thread ran yet", 1 + t for thread t. */
  const lasts = threads + 1;
  const size = program.layout.size;
  const m = new Machine(program.layout, new Uint8Array(size));
  const counts = new Int32Array(threads);
  /** Per thread, for the state being expanded: the best record for a step by it to extend, and its preemptions then. */
  const stepParent = new Int32Array(threads);
  const stepPreemptions = new Int32Array(threads);
  const fp = new Int32Array(2);
  const nodes = new Nodes();
  const seen = new FingerprintSet(1 << 14, false);
  // Frame 0: a successor being built; frame 1: the state being expanded or judged (copied in, so that
  // no view is made per state: this search runs first in every default check, often on a cold JIT).
  const work = new StateFrames(size, 2);
  const probe = work.view(1);
  let layer = new StateFrames(size, 64);
  let next = new StateFrames(size, 64);
  let layerCount = 1;
  /** The record of (layer state i, slot) at i * lasts + slot, or -1. */
  let layerRecords = new Int32Array(lasts).fill(-1);
  let nextRecords = new Int32Array(64 * lasts);
  layerRecords[0] = nodes.add(-1, 0, 0, 0);
  layer.write(0, program.initialState());

  fingerprintWords(layer.ints, 0, layer.words, fp);
  seen.add(fp[0], fp[1]);
  if (target.kind === 'cycle' && target.states.has(stateKey(layer.view(0)))) return { schedule: rotated(target, [], layer.view(0)) };

  for (let length = 1; length <= target.length; length++) {
    let nextCount = 0;
    /** Each new state's fingerprint, kept for storing it once the layer is done. */
    const nextKeys: number[] = [];
    const created: number[] = [];
    const inNext = new FingerprintIndex(Math.max(64, 2 * layerCount));
    let best: End | undefined;
    const beatsBest = (preemptions: number, parent: number, thread: number, branch: number): boolean =>
      !best || nodes.comesBefore(preemptions, parent, thread, branch, best.preemptions, best.parent, best.thread, best.branch);
    for (let i = 0; i < layerCount; i++) {
      if (Date.now() - started > budget.timeoutMs || nodes.size > budget.maxStates || budget.isCancelled?.()) return undefined;
      work.copyFrom(layer, i, 1);
      m.s = probe;
      for (let t = 0; t < threads; t++) counts[t] = program.branches(m, t);
      // A step by t preempts the thread that ran last when that one could have gone on.
      for (let t = 0; t < threads; t++) {
        stepParent[t] = -1;
        for (let slot = 0; slot < lasts; slot++) {
          const record = layerRecords[i * lasts + slot];
          if (record < 0) continue;
          const last = slot - 1;
          const preemptions = nodes.preemptions[record] + (last >= 0 && t !== last && counts[last] > 0 ? 1 : 0);
          const previous = stepParent[t];
          if (previous < 0 || nodes.ranksBefore(preemptions, record, stepPreemptions[t], previous)) {
            stepParent[t] = record;
            stepPreemptions[t] = preemptions;
          }
        }
      }
      for (let t = 0; t < threads; t++) {
        const parent = stepParent[t];
        const preemptions = stepPreemptions[t];
        for (let b = 0; b < counts[t]; b++) {
          work.copyWords(1, 0);
          m.s = work.view(0);
          m.violation = undefined;
          program.execute(m, t, b);
          tally.transitions++;
          fingerprintWords(work.ints, 0, work.words, fp);
          // Stored states never violate anything (violating states are not kept), and a state's own
          // properties were checked when it was first reached: only new states and the step's own checks.
          const stored = seen.find(fp[0], fp[1]) >= 0;
          const known = stored ? -1 : inNext.get(fp[0], fp[1]);
          const failure = (!stored && known < 0) || m.violation !== undefined ? transitionFailure(program, m, props) : undefined;
          if (failure) {
            const wanted = target.kind === 'any' || (target.kind === 'step' && failure.property === target.property);
            if (wanted && beatsBest(preemptions, parent, t, b)) best = { preemptions, parent, thread: t, branch: b, failure };
            continue;
          }
          if (stored) continue;
          let j = known;
          if (j < 0) {
            j = nextCount++;
            inNext.set(fp[0], fp[1], j);
            next.ensure(j);
            next.write(j, m.s);
            nextKeys.push(fp[0], fp[1]);
            if (nextRecords.length < nextCount * lasts) nextRecords = grown(nextRecords, nextRecords.length * 2);
            nextRecords.fill(-1, j * lasts, nextCount * lasts);
          }
          const at = j * lasts + 1 + t;
          const record = nextRecords[at];
          if (record < 0) {
            nextRecords[at] = nodes.add(parent, t, b, preemptions);
            created.push(nextRecords[at]);
            tally.keys++;
          } else if (nodes.precedes(preemptions, parent, t, b, record)) {
            nodes.set(record, parent, t, b, preemptions);
          }
        }
      }
    }
    nodes.rankLayer(created);
    for (let j = 0; j < nextCount; j++) {
      seen.add(nextKeys[2 * j], nextKeys[2 * j + 1]);
      let first = -1;
      for (let slot = 0; slot < lasts; slot++) {
        const record = nextRecords[j * lasts + slot];
        if (record >= 0 && (first < 0 || nodes.ranksBefore(nodes.preemptions[record], record, nodes.preemptions[first], first))) first = record;
      }
      const end = { preemptions: nodes.preemptions[first], parent: nodes.parent[first], thread: nodes.thread[first], branch: nodes.branch[first] };
      if (!beatsBest(end.preemptions, end.parent, end.thread, end.branch)) continue;
      work.copyFrom(next, j, 1);
      m.s = probe;
      const reached = reachedAt(program, props, target, m);
      if (reached) best = { ...end, state: j, ...(reached === true ? {} : { failure: reached }) };
    }
    if (best) {
      const prefix = [...nodes.pathTo(best.parent), { thread: best.thread, branch: best.branch }];
      if (target.kind !== 'cycle') return { schedule: { prefix }, ...(best.failure ? { failure: best.failure } : {}) };
      return { schedule: rotated(target, prefix, next.view(best.state!)) };
    }
    if (nextCount === 0) return undefined;
    [layer, next] = [next, layer];
    [layerRecords, nextRecords] = [nextRecords, layerRecords];
    layerCount = nextCount;
  }
  return undefined;
}

/** Whether reaching m's state completes the target: a state of the cycle (true), or a deadlock (its failure). */
function reachedAt(program: Program, props: ReadonlySet<PropertyId>, target: Target, m: Machine): PropertyFailure | boolean {
  if (target.kind === 'cycle') return target.states.has(stateKey(m.s));
  if (target.kind === 'step' || !props.has('fault-completes')) return false;
  return deadlockAt(program, m) ?? false;
}

function rotated(target: Extract<Target, { kind: 'cycle' }>, prefix: Choice[], entry: Uint8Array): Schedule {
  const at = target.states.get(stateKey(entry))!;
  return { prefix, cycle: [...target.cycle.slice(at), ...target.cycle.slice(0, at)] };
}

/** What the schedule violates, replayed: the failing step, a final deadlock, or the cycle's states. */
function targetOf(program: Program, props: ReadonlySet<PropertyId>, schedule: Schedule): Target | undefined {
  const m = new Machine(program.layout, program.initialState());
  if (stateFailure(program, m, props)) return undefined;
  for (let i = 0; i < schedule.prefix.length; i++) {
    const c = schedule.prefix[i];
    if (program.branches(m, c.thread) <= c.branch) return undefined;
    m.violation = undefined;
    program.execute(m, c.thread, c.branch);
    const failure = transitionFailure(program, m, props);
    if (failure) return schedule.cycle?.length ? undefined : { kind: 'step', property: failure.property, length: i + 1 };
  }
  if (schedule.cycle?.length) {
    const states = new Map<string, number>();
    schedule.cycle.forEach((c, i) => {
      states.set(stateKey(m.s), i);
      program.execute(m, c.thread, c.branch);
    });
    return { kind: 'cycle', states, cycle: schedule.cycle, length: schedule.prefix.length };
  }
  if (props.has('fault-completes') && deadlockAt(program, m)) return { kind: 'deadlock', length: schedule.prefix.length };
  return undefined;
}
