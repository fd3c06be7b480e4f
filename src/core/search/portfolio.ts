/**
 * `portfolio`, the default: a quick round of seeded random walks (shallow bugs in milliseconds), then
 * the exhaustive dfs. Deterministic: the quick round is a fixed number of walks, not a time slice.
 *
 * dfs bounds the length of its search path, which can be much longer than the shortest path to the
 * same state, so it may stop at the depth bound where the reference (breadth-first, whose depth is the
 * shortest distance) would not. Then bfs decides, with the reference's meaning of depth.
 */
import { breadthFirstOutcome } from './bfs';
import { depthFirstOutcome } from './dfs';
import { randomStrategy } from './random';
import type { Strategy } from './strategy';
import type { SearchLimits, SearchOutcome } from './verdict';

/** Walks of the quick round: enough for the built-in races, a small fraction of an exhaustive search. */
export const QUICK_WALKS = 64;

/** Adds an earlier phase's counts to a later phase's outcome. */
function after(earlier: SearchOutcome, later: SearchOutcome): SearchOutcome {
  return {
    ...later,
    stats: { ...later.stats, transitions: later.stats.transitions + earlier.stats.transitions, ms: later.stats.ms + earlier.stats.ms },
  };
}

const remaining = (limits: SearchLimits, spent: SearchOutcome): SearchLimits => ({ ...limits, timeoutMs: Math.max(0, limits.timeoutMs - spent.stats.ms) });

export const portfolioStrategy: Strategy = {
  id: 'portfolio',
  summary: `${QUICK_WALKS} seeded random walks, then exhaustive dfs (bfs if dfs meets the depth bound); the default`,
  exhaustive: true,
  run(program, props, limits, options): SearchOutcome {
    const quick = randomStrategy.run(program, props, limits, { ...options, walks: Math.min(options.walks, QUICK_WALKS) });
    if (quick.verdict === 'violation' || quick.bound === 'cancelled' || quick.bound === 'time') return quick;
    const exhaustive = after(quick, depthFirstOutcome(program, props, remaining(limits, quick), options));
    if (exhaustive.bound !== 'depth' || options.shard) return exhaustive;
    return after(exhaustive, breadthFirstOutcome(program, props, remaining(limits, exhaustive), options));
  },
};
