/** What every search strategy returns. */
import type { PropertyId } from '../scenario/types';
import type { Schedule } from '../trace/schedule';

export type Bound = 'states' | 'depth' | 'time' | 'cancelled';

export interface SearchStats {
  states: number;
  transitions: number;
  ms: number;
  maxDepth: number;
}

export interface SearchOutcome {
  verdict: 'violation' | 'verified' | 'bounded';
  property?: PropertyId;
  message?: string;
  schedule?: Schedule;
  bound?: Bound;
  stats: SearchStats;
}

export interface SearchLimits {
  maxStates: number;
  maxDepth: number;
  timeoutMs: number;
  isCancelled?: () => boolean;
  onProgress?: (stats: SearchStats) => void;
}
