/**
 * Sharding: n machines each run part `index` of `count` of one exhaustive search, and
 * `mergeOutcomes` combines their verdicts.
 *
 * Every shard explores the same top levels (`topLevels`, deterministic), keeps the frontier roots whose
 * first choices hash to its index, and searches depth-first below them, with the states above the
 * frontier marked done. Each reachable state lies above the frontier or below some root, so the parts
 * together cover the graph (a state below two roots may be searched twice).
 *
 * A livelock's component can reach above the frontier, where no shard sees all of it. A shard whose
 * SCC analysis touches a state above the frontier (or whose top levels contain an edge that goes
 * back up) falls back to a complete livelock pass of its own.
 */
import type { Program } from '../model/program';
import type { PropertyId } from '../scenario/types';
import { DepthFirstSearch, livelockPass } from './depthFirst';
import { FingerprintSet } from './fingerprintSet';
import { ownerOf, topLevels } from './frontier';
import { rootsFrom } from './roots';
import type { Shard, StrategyOptions } from './strategy';
import type { SearchLimits, SearchOutcome, SearchStats } from './verdict';

/** Frontier roots per shard: enough that the hash spreads the work evenly. */
const ROOTS_PER_SHARD = 16;

export function searchShard(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions, shard: Shard): SearchOutcome {
  const started = Date.now();
  const frontier = topLevels(program, props, limits, options.symmetry, ROOTS_PER_SHARD * shard.count);
  const aboveCount = frontier.above.length / 2;
  if (frontier.violation) return frontier.violation;
  if (frontier.bounded) return { ...frontier.bounded, stats: { ...frontier.bounded.stats, ms: Date.now() - started } };
  const livelock = props.has('fault-completes');
  const por = options.por && !livelock;
  const store = new FingerprintSet(Math.max(4096, 2 * aboveCount), por, limits.maxMemoryMb === undefined ? Infinity : limits.maxMemoryMb * 1024 * 1024, true);
  const above = new FingerprintSet(Math.max(16, 2 * aboveCount), false);
  for (let i = 0; i < frontier.above.length; i += 2) {
    store.add(frontier.above[i], frontier.above[i + 1]);
    above.add(frontier.above[i], frontier.above[i + 1]);
  }
  const mine = frontier.roots.filter((root) => ownerOf(root.prefix, shard.count) === shard.index);
  const search = new DepthFirstSearch(program, props, limits, { por, symmetry: options.symmetry, livelock, store, aboveFrontier: above });
  let outcome = search.run(rootsFrom(mine));
  const stats = (s: SearchStats): SearchStats => ({ ...s, states: s.states + aboveCount, transitions: s.transitions + frontier.transitions, ms: Date.now() - started });
  if (outcome.verdict === 'verified' && livelock && (search.metAboveFrontier || frontier.cycleAbovePossible)) {
    const complete = livelockPass(program, props, limits, options.symmetry);
    outcome = { ...complete, stats: { ...outcome.stats, transitions: outcome.stats.transitions + complete.stats.transitions } };
  }
  return { ...outcome, stats: stats(outcome.stats) };
}

/**
 * One verdict from the parts of a sharded search: a violation wins (the shortest schedule, then the
 * lowest part), then a bound (the first part's), else verified. Counts and times are summed (`ms` is
 * the total time spent), depth is the deepest.
 */
export function mergeOutcomes(outcomes: readonly SearchOutcome[]): SearchOutcome {
  if (outcomes.length === 0) throw new Error('mergeOutcomes: no outcomes');
  const stats: SearchStats = { states: 0, transitions: 0, ms: 0, maxDepth: 0 };
  for (const o of outcomes) {
    stats.states += o.stats.states;
    stats.transitions += o.stats.transitions;
    stats.ms += o.stats.ms;
    stats.maxDepth = Math.max(stats.maxDepth, o.stats.maxDepth);
    if (o.stats.storeBytes !== undefined) stats.storeBytes = (stats.storeBytes ?? 0) + o.stats.storeBytes;
  }
  const length = (o: SearchOutcome): number => (o.schedule ? o.schedule.prefix.length + (o.schedule.cycle?.length ?? 0) : 0);
  const violations = outcomes.filter((o) => o.verdict === 'violation');
  if (violations.length) {
    const shortest = violations.reduce((best, o) => (length(o) < length(best) ? o : best));
    return { ...shortest, stats };
  }
  // A part that was cancelled because another stopped (its memory ran out, say) names the other's bound.
  const bounded = outcomes.find((o) => o.verdict === 'bounded' && o.bound !== 'cancelled') ?? outcomes.find((o) => o.verdict === 'bounded');
  if (bounded) return { verdict: 'bounded', bound: bounded.bound, stats };
  return { verdict: 'verified', stats };
}
