/** Runs one `checkScenario` off the extension host thread; the request arrives as `workerData`. */
import { parentPort, workerData } from 'worker_threads';
import { checkScenario } from '../core';
import type { CheckRequest, WorkerMessage } from './workerMessages';

const PROGRESS_INTERVAL_MS = 200;

const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
const { scenario, options } = workerData as CheckRequest;
let lastProgress = 0;
try {
  const result = checkScenario(scenario, {
    ...options,
    onProgress: (progress) => {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      post({ type: 'progress', progress });
    },
  });
  post({ type: 'result', result });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
