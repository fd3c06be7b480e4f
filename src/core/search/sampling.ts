/**
 * Sampling executions, the engine of the randomized bug finders (`random`, `pct`): each sample runs
 * from the initial state, a scheduler picking every step, until all threads finish, no thread can
 * move (a deadlock when one has not finished), a property fails, or the depth bound cuts it. Samples
 * never prove anything: having found nothing they end `bounded` with bound `samples`.
 *
 * Sample k always gets the same stream of random numbers (`Prng(seed, k)`), so a schedule depends
 * only on the scenario, the seed and k: the same in a worker, in a shard (which runs every count-th
 * sample), or after a restart.
 */
import type { Program } from '../model/program';
import type { PropertyFailure } from '../model/properties';
import { Machine } from '../model/state';
import type { PropertyId } from '../scenario/types';
import type { Choice } from '../trace/schedule';
import { SearchBudget } from './budget';
import { Prng } from './prng';
import type { StrategyOptions } from './strategy';
import { deadlockFailure, stateFailure, transitionFailure } from './transition';
import type { SearchLimits, SearchOutcome } from './verdict';

/** Picks the next step of a sample: a thread with branchCounts[thread] > 0 and a branch below it. */
export type Scheduler = (branchCounts: Int32Array, step: number, rng: Prng) => Choice;

/** Makes the scheduler of sample k (PCT draws its priorities per sample). */
export type SchedulerFactory = (rng: Prng, sample: number) => Scheduler;

export function sampleExecutions(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions,
  samples: number, schedulerFor: SchedulerFactory): SearchOutcome {
  const budget = new SearchBudget(limits);
  const threads = program.threadCount;
  const branchCounts = new Int32Array(threads);
  const initial = program.initialState();
  let transitions = 0;
  let deepest = 0;
  const stats = () => ({ states: transitions + 1, transitions, ms: budget.elapsed(), maxDepth: deepest });
  const initialFailure = stateFailure(program, new Machine(program.layout, initial), props);
  if (initialFailure) return { verdict: 'violation', ...initialFailure, schedule: { prefix: [] }, stats: stats() };

  const shard = options.shard ?? { index: 0, count: 1 };
  for (let k = shard.index; k < samples; k += shard.count) {
    const bound = budget.poll(stats);
    if (bound) return { verdict: 'bounded', bound, stats: stats() };
    const rng = new Prng(options.seed, k);
    const schedule = schedulerFor(rng, k);
    const m = new Machine(program.layout, initial.slice());
    const prefix: Choice[] = [];
    let failure: PropertyFailure | undefined;
    while (prefix.length < limits.maxDepth) {
      let enabled = 0;
      for (let t = 0; t < threads; t++) {
        branchCounts[t] = program.branches(m, t);
        if (branchCounts[t] > 0) enabled++;
      }
      if (enabled === 0) {
        if (props.has('fault-completes')) failure = deadlockFailure(program, m, 0);
        break;
      }
      const choice = schedule(branchCounts, prefix.length, rng);
      prefix.push(choice);
      m.violation = undefined;
      program.execute(m, choice.thread, choice.branch);
      transitions++;
      failure = transitionFailure(program, m, props);
      if (failure) break;
      if (transitions > limits.maxStates) return { verdict: 'bounded', bound: 'states', stats: stats() };
    }
    deepest = Math.max(deepest, prefix.length);
    if (failure) return { verdict: 'violation', ...failure, schedule: { prefix }, stats: stats() };
  }
  return { verdict: 'bounded', bound: 'samples', stats: stats() };
}
