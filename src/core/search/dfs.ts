/**
 * `dfs`: exhaustive depth-first search with a compact visited set, sleep-set partial-order reduction
 * and thread symmetry (see `depthFirst.ts`). When the scenario checks `fault-completes` the same pass
 * finds livelocks, and then runs without sleep sets (symmetry stays).
 */
import type { Program } from '../model/program';
import type { PropertyId } from '../scenario/types';
import { DepthFirstSearch } from './depthFirst';
import { initialRoot } from './roots';
import { searchShard } from './shard';
import type { Strategy, StrategyOptions } from './strategy';
import type { SearchLimits, SearchOutcome } from './verdict';

export function depthFirstOutcome(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions): SearchOutcome {
  if (options.shard) return searchShard(program, props, limits, options, options.shard);
  const search = new DepthFirstSearch(program, props, limits, {
    por: options.por,
    symmetry: options.symmetry,
    livelock: props.has('fault-completes'),
  });
  return search.run(initialRoot(program));
}

export const dfsStrategy: Strategy = {
  id: 'dfs',
  summary: 'exhaustive depth-first search: compact visited set, sleep sets, thread symmetry, livelocks by SCC',
  exhaustive: true,
  takes: { seed: false, shard: true, workers: false },
  run: depthFirstOutcome,
};
