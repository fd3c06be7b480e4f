/**
 * Minimisation of a counterexample: the shortest schedule that reaches the same kind of violation
 * (the same property at a step, a deadlock, or the same livelock cycle), and among the shortest the
 * one with the fewest preemptions (switches away from a thread that could have gone on).
 *
 * Breadth-first by length over keys (state, last thread), keeping for each key the fewest preemptions
 * of the shortest paths to it: lexicographic (length, preemptions), exact up to fingerprint collisions.
 * A schedule that violates something else on the way is not a candidate, so the result replays to the
 * same violation. For a livelock the cycle stays; the lead-in becomes the shortest path to any state
 * of it, and the cycle is rotated to start there.
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
import { fingerprintWithLast } from './fingerprint';
import { FingerprintIndex } from './fingerprintIndex';
import { FingerprintSet } from './fingerprintSet';
import { grown, ParentTable } from './parentTable';
import { StateFrames } from './stateFrames';
import { deadlockAt, stateFailure, transitionFailure } from './transition';

export interface MinimiseBudget {
  /** Keys the search may store. */
  maxStates: number;
  timeoutMs: number;
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

/** Per-key records, in the order keys were found: how each was first (best) reached, and its preemptions. */
class Nodes extends ParentTable {
  preemptions: Uint16Array = new Uint16Array(1024);

  add(parent: number, thread: number, branch: number, preemptions: number): number {
    const id = this.push(parent, thread, branch);
    this.preemptions[id] = preemptions;
    return id;
  }

  set(id: number, parent: number, thread: number, branch: number, preemptions: number): void {
    this.setParent(id, parent, thread, branch);
    this.preemptions[id] = preemptions;
  }

  protected override grow(n: number): void {
    super.grow(n);
    this.preemptions = grown(this.preemptions, n);
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
  /** Keys stored and steps executed. */
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

/** The breadth-first search of both: undefined when nothing within the target's length reaches it, or past the budget. */
function shortest(program: Program, props: ReadonlySet<PropertyId>, target: Target, budget: MinimiseBudget, tally = { keys: 0, transitions: 0 }): Found | undefined {
  const started = Date.now();
  const threads = program.threadCount;
  const size = program.layout.size;
  const m = new Machine(program.layout, new Uint8Array(size));
  const counts = new Int32Array(threads);
  const fp = new Int32Array(2);
  const nodes = new Nodes();
  const seen = new FingerprintSet(1 << 14, false);
  // Frame 0: a successor being built; frame 1: the state being expanded or judged (copied in, so that
  // no view is made per state: this search runs first in every default check, often on a cold JIT).
  const work = new StateFrames(size, 2);
  const probe = work.view(1);
  let layer = new StateFrames(size, 64);
  let next = new StateFrames(size, 64);
  let layerIds: number[] = [nodes.add(-1, 0, 0, 0)];
  let lastOf: number[] = [-1];
  layer.write(0, program.initialState());

  /** Fingerprint of the state in `frames`' frame i, followed by the thread that ran last. */
  const keyOf = (frames: StateFrames, i: number, last: number): void => fingerprintWithLast(frames.ints, i * frames.words, frames.words, last, fp);
  keyOf(layer, 0, -1);
  seen.add(fp[0], fp[1]);
  if (target.kind === 'cycle' && target.states.has(stateKey(layer.view(0)))) return { schedule: rotated(target, [], layer.view(0)) };

  for (let length = 1; length <= target.length; length++) {
    const nextIds: number[] = [];
    const nextLast: number[] = [];
    /** Each new key's fingerprint, kept for storing it once the layer is done. */
    const nextKeys: number[] = [];
    const inNext = new FingerprintIndex(Math.max(64, 2 * layerIds.length));
    let best: { id: number; last?: Choice; failure?: PropertyFailure } | undefined;
    let bestPreemptions = Infinity;
    for (let i = 0; i < layerIds.length; i++) {
      if (Date.now() - started > budget.timeoutMs || nodes.size > budget.maxStates) return undefined;
      const id = layerIds[i];
      const last = lastOf[i];
      work.copyFrom(layer, i, 1);
      m.s = probe;
      for (let t = 0; t < threads; t++) counts[t] = program.branches(m, t);
      for (let t = 0; t < threads; t++) {
        const preemptions = nodes.preemptions[id] + (last >= 0 && t !== last && counts[last] > 0 ? 1 : 0);
        for (let b = 0; b < counts[t]; b++) {
          work.copyWords(1, 0);
          m.s = work.view(0);
          m.violation = undefined;
          program.execute(m, t, b);
          tally.transitions++;
          keyOf(work, 0, t);
          // Stored keys never violate anything (violating states are not kept), and a state's own
          // properties were checked when it was first reached: only new keys and the step's own checks.
          const stored = seen.find(fp[0], fp[1]) >= 0;
          const known = stored ? -1 : inNext.get(fp[0], fp[1]);
          const fresh = !stored && known < 0;
          const failure = fresh || m.violation !== undefined ? transitionFailure(program, m, props) : undefined;
          if (failure) {
            const wanted = target.kind === 'any' || (target.kind === 'step' && failure.property === target.property);
            if (wanted && preemptions < bestPreemptions) {
              best = { id, last: { thread: t, branch: b }, failure };
              bestPreemptions = preemptions;
            }
            continue;
          }
          if (stored) continue;
          if (known >= 0) {
            if (preemptions < nodes.preemptions[nextIds[known]]) nodes.set(nextIds[known], id, t, b, preemptions);
            continue;
          }
          inNext.set(fp[0], fp[1], nextIds.length);
          next.ensure(nextIds.length);
          next.write(nextIds.length, m.s);
          nextIds.push(nodes.add(id, t, b, preemptions));
          nextLast.push(t);
          nextKeys.push(fp[0], fp[1]);
          tally.keys++;
        }
      }
    }
    for (let i = 0; i < nextIds.length; i++) {
      seen.add(nextKeys[2 * i], nextKeys[2 * i + 1]);
      if (nodes.preemptions[nextIds[i]] >= bestPreemptions) continue;
      work.copyFrom(next, i, 1);
      m.s = probe;
      const reached = reachedAt(program, props, target, m);
      if (reached) {
        best = { id: nextIds[i], ...(reached === true ? {} : { failure: reached }) };
        bestPreemptions = nodes.preemptions[nextIds[i]];
      }
    }
    if (best) {
      const prefix = nodes.pathTo(best.id);
      if (best.last) prefix.push(best.last);
      if (target.kind !== 'cycle') return { schedule: { prefix }, ...(best.failure ? { failure: best.failure } : {}) };
      return { schedule: rotated(target, prefix, next.view(nextIds.indexOf(best.id))) };
    }
    if (nextIds.length === 0) return undefined;
    [layer, next] = [next, layer];
    layerIds = nextIds;
    lastOf = nextLast;
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
