/**
 * The running-time side of a search's limits: cancellation, the time bound and progress reports
 * (at most one per PROGRESS_INTERVAL_MS). Strategies count their work with `pollDue` and `poll`
 * when it says so.
 */
import type { Bound, SearchLimits, SearchStats } from './verdict';

export const PROGRESS_INTERVAL_MS = 100;

/** How many transitions a strategy runs between two polls: cheap enough, and well under 100 ms. */
export const POLL_EVERY = 1024;

export class SearchBudget {
  readonly started = Date.now();
  private lastProgress = this.started;
  private untilPoll = POLL_EVERY;

  constructor(private readonly limits: SearchLimits) {}

  elapsed(): number {
    return Date.now() - this.started;
  }

  /** Bytes the search's stores may use (Infinity without a memory bound). */
  get memoryBytes(): number {
    return this.limits.maxMemoryMb === undefined ? Infinity : this.limits.maxMemoryMb * 1024 * 1024;
  }

  /**
   * Counts one unit of work (a transition, a turn of a search loop): true once every POLL_EVERY, when
   * the caller should `poll`. The poll is the caller's because the depth-first engine adds its own
   * checks to it (a worker's stop flag, its memory).
   */
  pollDue(): boolean {
    if (--this.untilPoll !== 0) return false;
    this.untilPoll = POLL_EVERY;
    return true;
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
