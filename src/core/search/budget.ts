/**
 * The running-time side of a search's limits: cancellation, the time bound and progress reports
 * (at most one per PROGRESS_INTERVAL_MS). Strategies call `poll` every few thousand transitions.
 */
import type { Bound, SearchLimits, SearchStats } from './verdict';

export const PROGRESS_INTERVAL_MS = 100;

/** How many transitions a strategy runs between two polls: cheap enough, and well under 100 ms. */
export const POLL_EVERY = 1024;

export class SearchBudget {
  readonly started = Date.now();
  private lastProgress = this.started;

  constructor(private readonly limits: SearchLimits) {}

  elapsed(): number {
    return Date.now() - this.started;
  }

  /** Bytes the search's stores may use (Infinity without a memory bound). */
  get memoryBytes(): number {
    return this.limits.maxMemoryMb === undefined ? Infinity : this.limits.maxMemoryMb * 1024 * 1024;
  }

  /** The bound that stops the search now, if any; reports progress when it is due. */
  poll(stats: () => SearchStats): Bound | undefined {
    if (this.limits.isCancelled?.()) return 'cancelled';
    const now = Date.now();
    if (now - this.started > this.limits.timeoutMs) return 'time';
    if (this.limits.onProgress && now - this.lastProgress >= PROGRESS_INTERVAL_MS) {
      this.lastProgress = now;
      this.limits.onProgress(stats());
    }
    return undefined;
  }
}
