/**
 * Runs a job (a search, reading an untrusted trace file, a replay) in a worker thread, so the extension
 * host stays responsive and a bug or a hostile input can at worst fail the job, never the host; and so
 * that the CLI's thread can take Ctrl-C while a search runs.
 *
 * Cancelling a search first sets a shared flag the search polls, so a cancelled search still returns its
 * verdict ("stopped: cancelled") and statistics; one that ignores the flag is terminated after a grace
 * period. The other jobs (reading a trace, a replay) poll nothing: they are terminated at once. Either way
 * a terminated job resolves to `undefined`.
 */
import type { Worker } from 'worker_threads';
import type { SearchStats } from '../search/verdict';
import type { JobResult, WorkerJob, WorkerMessage, WorkerRequest } from './jobMessages';

const CANCEL_GRACE_MS = 2000;

/** A cancellation signal in the shape of `vscode.CancellationToken`, so this file needs no `vscode`. */
export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface JobCallbacks {
  onProgress?: (progress: SearchStats) => void;
  cancellation?: CancellationSignal;
}

export function runWorkerJob<J extends WorkerJob>(workerPath: string, job: J, callbacks: JobCallbacks = {}): Promise<JobResult<J> | undefined> {
  const cancelFlag = new SharedArrayBuffer(4);
  const request: WorkerRequest = { job, cancelFlag };
  // Loaded by the first job, not at import: a CLI check off a terminal runs none and does not pay for it.
  const threads = require('worker_threads') as typeof import('worker_threads');
  const worker: Worker = new threads.Worker(workerPath, { workerData: request });
  return new Promise<JobResult<J> | undefined>((resolve, reject) => {
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(graceTimer);
      cancellation?.dispose();
      void worker.terminate();
      outcome();
    };
    const cancel = (): void => {
      Atomics.store(new Int32Array(cancelFlag), 0, 1);
      graceTimer ??= setTimeout(() => settle(() => resolve(undefined)), job.kind === 'check' ? CANCEL_GRACE_MS : 0);
    };
    const cancellation = callbacks.cancellation?.onCancellationRequested(cancel);
    if (callbacks.cancellation?.isCancellationRequested) cancel();
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'progress':
          callbacks.onProgress?.(message.progress);
          break;
        case 'done':
          settle(() => resolve(message.result as JobResult<J>));
          break;
        case 'error':
          settle(() => reject(workerError(message.message, message.stack)));
          break;
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the worker thread exited with code ${code} before it answered`))));
  });
}

/** The worker's error: its message for the user, its stack (where in the worker it failed) for the log. */
function workerError(message: string, stack: string | undefined): Error {
  const error = new Error(message);
  if (stack !== undefined) error.stack = stack;
  return error;
}
