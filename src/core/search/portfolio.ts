/**
 * `portfolio`, the default. First a small breadth-first pass: the shortest violation with the fewest
 * preemptions within a few thousand states, so a shallow race comes out already minimised. Then a
 * quick round of seeded random walks (deeper bugs of large scenarios, in milliseconds). Then the
 * exhaustive dfs. Deterministic: the quick rounds are bounded by counts (stored keys, walks), not by
 * time slices.
 *
 * dfs bounds the length of its search path, which can be much longer than the shortest path to the
 * same state, so it may stop at the depth bound where the reference (breadth-first, whose depth is the
 * shortest distance) would not. Then bfs decides, with the reference's meaning of depth.
 */
import { breadthFirstOutcome } from './bfs';
import { depthFirstOutcome } from './dfs';
import { shortestViolation } from './minimise';
import { randomStrategy } from './random';
import type { Program } from '../model/program';
import type { PropertyId } from '../scenario/types';
import type { Strategy } from './strategy';
import type { SearchLimits, SearchOutcome } from './verdict';

/** Walks of the quick round: enough for the built-in races, a small fraction of an exhaustive search. */
export const QUICK_WALKS = 64;
/** Keys (state, last thread) the breadth-first pass may store: a few milliseconds of search. */
const SHALLOW_KEYS = 20_000;

/** Adds an earlier phase's counts to a later phase's outcome. */
function after(earlier: SearchOutcome, later: SearchOutcome): SearchOutcome {
  return {
    ...later,
    stats: { ...later.stats, transitions: later.stats.transitions + earlier.stats.transitions, ms: later.stats.ms + earlier.stats.ms },
  };
}

const remaining = (limits: SearchLimits, spent: SearchOutcome): SearchLimits => ({ ...limits, timeoutMs: Math.max(0, limits.timeoutMs - spent.stats.ms) });

/** The breadth-first pass: a minimal violation (`minimal`: nothing left to shrink), or `bounded` by its own budget. */
function shallowPass(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits): SearchOutcome {
  const started = Date.now();
  const { found, keys, transitions } = shortestViolation(program, props, limits.maxDepth, {
    maxStates: Math.min(SHALLOW_KEYS, limits.maxStates),
    timeoutMs: limits.timeoutMs,
    isCancelled: limits.isCancelled,
  });
  const stats = { states: keys, transitions, ms: Date.now() - started, maxDepth: found?.schedule.prefix.length ?? 0 };
  if (!found) return { verdict: 'bounded', bound: 'samples', stats };
  return { verdict: 'violation', ...found.failure, schedule: found.schedule, minimal: true, stats };
}

export const portfolioStrategy: Strategy = {
  id: 'portfolio',
  summary: `a breadth-first pass for a shallow minimal violation, ${QUICK_WALKS} seeded random walks, then exhaustive dfs (bfs if dfs meets the depth bound); the default`,
  exhaustive: true,
  takes: { seed: true, shard: true, workers: false },
  run(program, props, limits, options): SearchOutcome {
    const shallow = options.shard ? undefined : shallowPass(program, props, limits);
    if (shallow?.verdict === 'violation') return shallow;
    const spent = shallow ?? { verdict: 'bounded', stats: { states: 0, transitions: 0, ms: 0, maxDepth: 0 } };
    if (limits.isCancelled?.()) return { ...spent, verdict: 'bounded', bound: 'cancelled' };
    const walks = randomStrategy.run(program, props, remaining(limits, spent), { ...options, walks: Math.min(options.walks, QUICK_WALKS) });
    const quick = after(spent, walks);
    if (quick.verdict === 'violation' || quick.bound === 'cancelled' || quick.bound === 'time') return quick;
    const exhaustive = after(quick, depthFirstOutcome(program, props, remaining(limits, quick), options));
    if (exhaustive.bound !== 'depth' || options.shard) return exhaustive;
    return after(exhaustive, breadthFirstOutcome(program, props, remaining(limits, exhaustive), options));
  },
};
