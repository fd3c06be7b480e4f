/** The strategy registry: every search `checkScenario` can run, by id. */
import { exploreReference } from './reference';
import { bfsStrategy } from './bfs';
import { dfsStrategy } from './dfs';
import { parallelStrategy } from './parallel';
import { pctStrategy } from './pct';
import { portfolioStrategy } from './portfolio';
import { preemptStrategy } from './preempt';
import { randomStrategy } from './random';
import type { Strategy } from './strategy';

/** The plain reference explorer (the oracle of the tests), as a strategy. */
const referenceStrategy: Strategy = {
  id: 'reference',
  summary: 'the plain reference explorer: breadth-first, exact states, no reduction (slow; the tests\' oracle)',
  exhaustive: true,
  takes: { seed: false, shard: false, workers: false },
  run: (program, props, limits) => exploreReference(program, props, limits),
};

export const DEFAULT_STRATEGY = 'portfolio';

export const STRATEGIES: readonly Strategy[] = [
  portfolioStrategy,
  dfsStrategy,
  bfsStrategy,
  parallelStrategy,
  randomStrategy,
  pctStrategy,
  preemptStrategy,
  referenceStrategy,
];

export const STRATEGY_IDS: readonly string[] = STRATEGIES.map((s) => s.id);

export function findStrategy(id: string): Strategy | undefined {
  return STRATEGIES.find((s) => s.id === id);
}
