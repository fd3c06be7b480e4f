/**
 * Entry point of a parallel search worker (bundled on its own as `dist/worker-search.js`). It rebuilds
 * the program from the scenario and the kernel, claims frontier roots one at a time and searches
 * below each with the depth-first engine over the shared store; a state another worker stored first
 * is theirs to expand. With recordGraph it records what it expands for the livelock check, of which
 * the coordinator then gives each worker a part. It replies on the job's port and counts itself done,
 * then waits for the next job (the coordinator keeps its workers for the process's next search).
 */
import { parentPort, type MessagePort } from 'worker_threads';
import { Program } from '../model/program';
import { POLL_EVERY } from './budget';
import { DepthFirstSearch } from './depthFirst';
import { CONTROL, failureReply, signalCoordinator, type CheckJob, type CheckReply, type WorkerJob, type WorkerMessage, type WorkerReply } from './parallelProtocol';
import { PausingStore } from './pausingStore';
import { SharedFingerprintSet } from './sharedFingerprintSet';
import { CheckArrays, fairCycleInRecordedGraph } from './stateGraph';
import { StateGraphLog, StateGraphRecorder } from './stateGraphLog';
import type { Bound, SearchStats } from './verdict';

function run(job: WorkerJob, port: MessagePort): WorkerReply {
  const control = new Int32Array(job.control);
  const program = new Program(job.scenario, job.kernel);
  const limits = { maxStates: job.maxStates, maxDepth: job.maxDepth, timeoutMs: job.timeoutMs, maxMemoryMb: job.maxMemoryMb };
  const props = new Set(job.props);
  const { roots, threadOrder } = job.share;
  const graph = job.recordGraph ? new StateGraphRecorder(new StateGraphLog()) : undefined;
  const memoryBytes = limits.maxMemoryMb === undefined ? Infinity : limits.maxMemoryMb * 1024 * 1024;
  let graphKib = 0;
  const onPoll = (stats: SearchStats): Bound | undefined => {
    Atomics.add(control, CONTROL.transitions, POLL_EVERY);
    raise(control, CONTROL.maxDepth, stats.maxDepth);
    if (Atomics.load(control, CONTROL.stop) !== 0) return 'cancelled';
    if (!graph) return undefined;
    // Every worker's recorded graph counts against the one memory bound, with the shared store.
    const kib = graph.bytes >>> 10;
    const allKib = Atomics.add(control, CONTROL.graphKib, kib - graphKib) + kib - graphKib;
    graphKib = kib;
    return (stats.storeBytes ?? 0) + allKib * 1024 > memoryBytes ? 'memory' : undefined;
  };
  const store = new PausingStore(new SharedFingerprintSet(job.share.store), control, port);
  const search = new DepthFirstSearch(program, props, limits, {
    por: false,
    symmetry: job.symmetry,
    livelock: false,
    threadOrder,
    store,
    rootsStored: true,
    onPoll,
    ...(graph ? { graph } : {}),
  });
  const outcome = search.run(() => {
    const next = Atomics.add(control, CONTROL.nextRoot, 1);
    return next < roots.length ? roots[next] : undefined;
  });
  store.flush();
  return { outcome, ...(graph ? { graph: graph.log.filled(), load: graph.log.load } : {}) };
}

/** Raises control word `at` to `value` if it is lower (another worker may raise it at the same time). */
function raise(control: Int32Array, at: number, value: number): void {
  for (let seen = Atomics.load(control, at); seen < value; ) {
    const was = Atomics.compareExchange(control, at, seen, value);
    if (was === seen) return;
    seen = was;
  }
}

/** A part of the livelock check; the coordinator's stop word ends it. */
function check(job: CheckJob): CheckReply {
  const control = new Int32Array(job.control);
  const arrays = new CheckArrays(job.arrays, job.states, job.threads);
  const answer = fairCycleInRecordedGraph(job.chunks, job.states, job.threads, () => (Atomics.load(control, CONTROL.stop) !== 0 ? 'cancelled' : undefined),
    { buckets: job.buckets, states: job.partStates, index: job.part, arrays });
  return answer === undefined ? {} : { answer };
}

/** Runs one job or check and replies on its port; the coordinator blocks on the control word, not on messages. */
function serve(message: WorkerMessage): void {
  const { port } = message;
  const control = new Int32Array('job' in message ? message.job.control : message.check.control);
  Atomics.add(control, CONTROL.started, 1);
  let reply: WorkerReply | CheckReply;
  try {
    reply = 'job' in message ? run(message.job, port) : check(message.check);
  } catch (error) {
    reply = failureReply(message, error);
    Atomics.store(control, CONTROL.stop, 1);
  }
  // The recorded graph is in shared memory: posting it copies nothing.
  port.postMessage(reply);
  port.close();
  // A violation ends every job; a livelock found ends the other parts of the check.
  if (('outcome' in reply && reply.outcome.verdict === 'violation') || ('answer' in reply && reply.answer && 'spinning' in reply.answer)) {
    Atomics.store(control, CONTROL.stop, 1);
  }
  Atomics.add(control, CONTROL.done, 1);
  signalCoordinator(control);
}

// Workers are kept for the next search of the process: each message is one job or check.
parentPort!.on('message', serve);
