/** The interface every search strategy implements (the registry is `strategies.ts`). */
import type { Program } from '../model/program';
import type { PropertyId } from '../scenario/types';
import type { SearchLimits, SearchOutcome } from './verdict';

/** A deterministic share of a search: part `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export interface StrategyOptions {
  /** Seed of the randomized strategies (random, pct, the portfolio's quick pass). */
  seed: number;
  /** Partial-order reduction (sleep sets) in the exhaustive strategies. */
  por: boolean;
  /** Symmetry reduction over threads with identical operations. */
  symmetry: boolean;
  /** Worker threads of the parallel strategy. */
  workers: number;
  /** Random walks of the random strategy (and runs of pct). */
  walks: number;
  /** Bug depth of pct: the number of priority change points plus one. */
  pctDepth: number;
  /** Preemptions allowed on a schedule by the preempt strategy. */
  preemptionBound: number;
  shard?: Shard;
}

export const DEFAULT_STRATEGY_OPTIONS: StrategyOptions = {
  seed: 1,
  por: true,
  symmetry: true,
  workers: 2,
  walks: 1000,
  pctDepth: 3,
  preemptionBound: 2,
};

export interface Strategy {
  readonly id: string;
  /** One line for listings and `--help`. */
  readonly summary: string;
  /** Can it prove a scenario (`verified`)? The randomized ones only find bugs. */
  readonly exhaustive: boolean;
  /**
   * The options it reads beyond the bounds: whether it draws on the seed, searches only its `shard`, and
   * starts `workers`. A front end warns of, or refuses, the others.
   */
  readonly takes: { readonly seed: boolean; readonly shard: boolean; readonly workers: boolean };
  run(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions): SearchOutcome;
}
