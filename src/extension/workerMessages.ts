/** What the extension host and the search worker (`dist/worker.js`) exchange. */
import type { CheckOptions, CheckResult } from '../core';
import type { Scenario } from '../core/scenario/types';

/** Callbacks cannot cross a thread boundary; progress comes back as messages instead. */
export type WorkerCheckOptions = Omit<CheckOptions, 'onProgress' | 'isCancelled'>;

export interface CheckRequest {
  scenario: Scenario;
  options: WorkerCheckOptions;
}

export type CheckProgress = Parameters<NonNullable<CheckOptions['onProgress']>>[0];

export type WorkerMessage =
  | { type: 'progress'; progress: CheckProgress }
  | { type: 'result'; result: CheckResult }
  | { type: 'error'; message: string };
