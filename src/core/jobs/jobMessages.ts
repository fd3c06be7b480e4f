/** What a caller (the extension host, the CLI) and the job worker (`dist/worker.js`) exchange. */
import type { CheckOptions, CheckResult } from '../search/check';
import type { Scenario } from '../scenario/types';
import type { TraceFileResult } from '../trace/file';
import type { SearchStats } from '../search/verdict';
import type { Trace } from '../trace/types';

/** Callbacks cannot cross a thread boundary: progress comes back as messages, cancellation as a shared flag. */
export type WorkerCheckOptions = Omit<CheckOptions, 'onProgress' | 'isCancelled'>;

/** The slow or untrusted-input work the extension host never does on its own thread (nor the CLI a long search at a terminal, where Ctrl-C must still end with a verdict). */
export type WorkerJob =
  | { kind: 'check'; scenario: Scenario; options: WorkerCheckOptions }
  | { kind: 'readTraceFile'; text: string; file: string }
  | { kind: 'replay'; scenario: Scenario; kernel: string; schedule: string };

export type ReplayResult = { ok: true; trace: Trace } | { ok: false; error: string };

export type JobResult<J extends WorkerJob> = J extends { kind: 'check' }
  ? CheckResult
  : J extends { kind: 'readTraceFile' }
    ? TraceFileResult
    : ReplayResult;

export interface WorkerRequest {
  job: WorkerJob;
  /** One Int32: set to 1 to ask the search to stop at its next poll. */
  cancelFlag: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'progress'; progress: SearchStats }
  | { type: 'done'; result: JobResult<WorkerJob> }
  /** `message` for the user, `stack` (the worker's) for the log. */
  | { type: 'error'; message: string; stack?: string };
