/** What every search strategy returns. */
import type { PropertyId } from '../scenario/types';
import type { Schedule } from '../trace/schedule';

/**
 * Why a search stopped before it could decide: a limit (`states`, `depth`, `time`, `memory`), the
 * caller (`cancelled`), the randomized strategies' sample budget (`samples`: random walks and PCT runs
 * never prove anything), or the preemption bound of the `preempt` strategy (`preemptions`).
 */
export type Bound = 'states' | 'depth' | 'time' | 'cancelled' | 'memory' | 'samples' | 'preemptions';

export interface SearchStats {
  states: number;
  transitions: number;
  ms: number;
  maxDepth: number;
  /** Bytes held by the visited-state store when the search ended (exhaustive strategies). */
  storeBytes?: number;
}

export interface SearchOutcome {
  verdict: 'violation' | 'verified' | 'bounded';
  property?: PropertyId;
  message?: string;
  schedule?: Schedule;
  /** The schedule is already the shortest with the fewest preemptions: minimisation would not change it. */
  minimal?: boolean;
  bound?: Bound;
  stats: SearchStats;
}

export interface SearchLimits {
  maxStates: number;
  maxDepth: number;
  timeoutMs: number;
  /** Memory for the search's own stores (visited set, stacks, queues); unlimited when absent. */
  maxMemoryMb?: number;
  isCancelled?: () => boolean;
  onProgress?: (stats: SearchStats) => void;
}
