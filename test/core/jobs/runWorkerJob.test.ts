/** Jobs in a worker thread: what cancelling each kind of job gives, and how soon. */
import { strict as assert } from 'assert';
import { join } from 'path';
import { getBuiltinScenario } from '../../../src/core';
import { runWorkerJob, type CancellationSignal } from '../../../src/core/jobs/runWorkerJob';
import { workerScript } from '../../../src/core/workerScript';
import { longTraceText } from '../../e2e/longTrace';

const jobWorker = (): string => workerScript('worker.js', join(__dirname, '../../../src/core/jobs/jobWorker.ts'));

/** A cancellation signal already raised. */
const cancelled: CancellationSignal = { isCancellationRequested: true, onCancellationRequested: () => ({ dispose() {} }) };

describe('jobs in a worker thread', function () {
  this.timeout(120_000);

  it('reads a trace file, and a cancelled read (which polls nothing) ends at once with no answer', async () => {
    const { text, steps } = longTraceText(19_990);
    const started = Date.now();
    const read = await runWorkerJob(jobWorker(), { kind: 'readTraceFile', text, file: 'long.swaptrace.json' });
    const readMs = Date.now() - started;
    assert.ok(read?.ok && read.trace.steps.length === steps);
    const stopping = Date.now();
    const stopped = await runWorkerJob(jobWorker(), { kind: 'readTraceFile', text, file: 'long.swaptrace.json' }, { cancellation: cancelled });
    assert.equal(stopped, undefined);
    // Well within the grace a search gets to answer (2 s), and within the read itself.
    assert.ok(Date.now() - stopping < Math.min(1000, readMs), `stopped after ${Date.now() - stopping} ms; the read takes ${readMs} ms`);
  });

  it('a job that fails rejects with its one-line message, and the worker\'s stack for the log', async () => {
    const failing = runWorkerJob(jobWorker(), { kind: 'check', scenario: getBuiltinScenario('anon-direct-aba')!, options: { kernel: 'v9.9' } });
    const error = await failing.then(() => assert.fail('the job succeeded'), (e: unknown) => e as Error);
    assert.match(error.message, /^unknown kernel version "v9\.9" \(known: v5\.13, [^\n]*\)$/);
    assert.match(error.stack ?? '', /^Error: unknown kernel version[^\n]*\n\s+at /);
  });
});
