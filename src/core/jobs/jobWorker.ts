/** Runs one job off the calling thread (the extension host's, the CLI's); the request arrives as `workerData`, the answer as one message. */
import { parentPort, workerData } from 'worker_threads';
import { checkScenario } from '../search/check';
import { parseTraceFile, replaySchedule } from '../trace/file';
import { parseSchedule } from '../trace/schedule';
import type { JobResult, WorkerJob, WorkerMessage, WorkerRequest } from './jobMessages';

const PROGRESS_INTERVAL_MS = 250;

const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
const { job, cancelFlag } = workerData as WorkerRequest;
const cancelled = new Int32Array(cancelFlag);

function run(job: WorkerJob): JobResult<WorkerJob> {
  switch (job.kind) {
    case 'check': {
      let lastProgress = 0;
      return checkScenario(job.scenario, {
        ...job.options,
        isCancelled: () => Atomics.load(cancelled, 0) === 1,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
          lastProgress = now;
          post({ type: 'progress', progress });
        },
      });
    }
    case 'readTraceFile':
      return parseTraceFile(job.text, job.file);
    case 'replay':
      try {
        return { ok: true, trace: replaySchedule(job.scenario, job.kernel, parseSchedule(job.schedule)) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
  }
}

try {
  post({ type: 'done', result: run(job) });
} catch (error) {
  post(error instanceof Error ? { type: 'error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) } : { type: 'error', message: String(error) });
}
