/**
 * Runs a check in a worker thread so the extension host stays responsive.
 * Cancelling terminates the worker: the search is synchronous and cannot read messages meanwhile.
 */
import * as vscode from 'vscode';
import { Worker } from 'worker_threads';
import type { CheckResult } from '../core';
import type { Scenario } from '../core/scenario/types';
import type { CheckProgress, CheckRequest, WorkerCheckOptions, WorkerMessage } from './workerMessages';

/** Resolves to the result, or to `undefined` when cancelled. */
export function runCheckInWorker(
  workerPath: string,
  scenario: Scenario,
  options: WorkerCheckOptions,
  onProgress: (progress: CheckProgress) => void,
  token: vscode.CancellationToken,
): Promise<CheckResult | undefined> {
  const request: CheckRequest = { scenario, options };
  const worker = new Worker(workerPath, { workerData: request });
  return new Promise<CheckResult | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      cancellation.dispose();
      void worker.terminate();
      outcome();
    };
    const cancellation = token.onCancellationRequested(() => settle(() => resolve(undefined)));
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'progress':
          onProgress(message.progress);
          break;
        case 'result':
          settle(() => resolve(message.result));
          break;
        case 'error':
          settle(() => reject(new Error(`Swap Race check failed: ${message.message}`)));
          break;
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`Swap Race worker exited with code ${code} before a result`))));
  });
}
