/**
 * Ctrl-C at a terminal. A search that runs on this thread never lets a SIGINT handler run, so at a
 * terminal a long search runs on a worker thread instead (`dist/worker.js`, the job worker the extension
 * uses too; runCheck.ts decides when): this thread takes the first Ctrl-C and asks the search to stop,
 * and the search ends as at any other bound, with its verdict ("stopped at the user's request") and
 * statistics. A Ctrl-C during a short search on this thread is taken when that search returns, and
 * stops what the command would run next. A second Ctrl-C exits at once. Off a terminal (pipes, CI)
 * SIGINT ends the process as usual.
 */
import { join } from 'node:path';
import { isatty } from 'node:tty';
import type { CheckOptions, CheckResult, Scenario } from '../core';
import type { WorkerCheckOptions } from '../core/jobs/jobMessages';
import { runWorkerJob, type CancellationSignal } from '../core/jobs/runWorkerJob';
import { workerScript } from '../core/workerScript';
import { CliError } from './errors';

/** The exit code of a process ended by SIGINT, as shells report it. */
const INTERRUPTED_EXIT = 130;

let interrupted = false;
const listeners = new Set<() => void>();

const interruption: CancellationSignal = {
  get isCancellationRequested() {
    return interrupted;
  },
  onCancellationRequested(listener) {
    listeners.add(listener);
    return { dispose: () => listeners.delete(listener) };
  },
};

function onSigint(): void {
  if (interrupted) process.exit(INTERRUPTED_EXIT);
  interrupted = true;
  for (const listener of listeners) listener();
}

/** From now on this command takes Ctrl-C (once installed, for the rest of the process). */
export function listenForCtrlC(): void {
  if (!process.listeners('SIGINT').includes(onSigint)) process.on('SIGINT', onSigint);
}

/** Resolves once a signal that arrived during synchronous work has reached its handler. */
export const signalsDelivered = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether someone at a terminal may press Ctrl-C (asking the descriptors: `process.stdin` would be opened as a stream). */
export const atTerminal = (): boolean => isatty(0) || isatty(2);

/** Whether Ctrl-C was pressed: later searches of the same command (compare's next version) are not started. */
export const wasInterrupted = (): boolean => interrupted;

/** checkScenario on the job worker, stopped by Ctrl-C (listenForCtrlC must have been called). */
export async function checkInterruptibly(scenario: Scenario, options: WorkerCheckOptions, onProgress: CheckOptions['onProgress']): Promise<CheckResult> {
  const worker = workerScript('worker.js', join(__dirname, '../core/jobs/jobWorker.ts'));
  const result = await runWorkerJob(worker, { kind: 'check', scenario, options }, { cancellation: interruption, ...(onProgress ? { onProgress } : {}) });
  if (result === undefined) throw new CliError('interrupted: the search did not stop when asked, so there is no verdict');
  return result;
}
