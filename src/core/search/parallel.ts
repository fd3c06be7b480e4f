/**
 * `parallel`: exhaustive search on worker threads (one per core by default).
 *
 * The coordinator explores the top levels breadth-first (`topLevels`) until the frontier holds
 * ROOTS_PER_WORKER roots per worker, stores everything it saw in a shared fingerprint table, and
 * starts the workers (`parallelWorker.ts`). Each claims roots in turn and searches depth-first below
 * them; a state is expanded by whoever stored it first, so no state is expanded twice and the union
 * covers the graph. Threads are tried in a different order in each worker, which spreads them apart.
 * `checkScenario` is synchronous, so the coordinator blocks in `Atomics.wait`, waking every 100 ms
 * (or on a worker's signal) to report progress, honour cancellation and the time bound, and grow the
 * shared table.
 *
 * Safety properties and deadlocks are checked in parallel. Livelocks need the SCCs of the whole graph,
 * which no worker sees: with `fault-completes`, one worker runs the complete single-threaded search
 * with its livelock pass and decides, while the others explore the shared table and can only end the
 * search early with a violation. So only safety-only checks are faster in parallel; with
 * fault-completes it takes about as long as dfs. No sleep sets: the shared table holds no sleep sets.
 *
 * Worker entry (`workerScript`): from a bundle, `worker-search.js` next to it, which esbuild.mjs must
 * build from `parallelWorker.ts`; from TypeScript sources, `parallelWorker.ts` bundled on the fly.
 */
import { availableParallelism } from 'os';
import { join } from 'path';
import type { MessagePort, Worker } from 'worker_threads';
import type { Program } from '../model/program';
import type { PropertyId } from '../scenario/types';
import { PROGRESS_INTERVAL_MS, SearchBudget } from './budget';
import { fingerprintWords } from './fingerprint';
import { topLevels } from './frontier';
import { CONTROL, type GrownStore, type WorkerJob, type WorkerReply } from './parallelProtocol';
import { mergeOutcomes } from './shard';
import { SharedFingerprintSet, STORE_NEEDS_GROWTH } from './sharedFingerprintSet';
import { StateFrames } from './stateFrames';
import type { Strategy, StrategyOptions } from './strategy';
import { ThreadSymmetry } from './symmetry';
import { workerScript } from '../workerScript';
import type { Bound, SearchLimits, SearchOutcome, SearchStats } from './verdict';

/** Frontier roots per worker: many small jobs keep both workers busy to the end. */
const ROOTS_PER_WORKER = 64;
/**
 * The shared table's first capacity (2 MiB, less under a tighter memory bound); it grows 1.5x at 3/4
 * full with the workers paused, so starting above small searches saves them the pauses.
 */
const INITIAL_SHARED_SLOTS = 1 << 18;
/** A worker takes its job within this (tens of milliseconds normally), and stops within this of being told. */
const WORKER_START_MS = 30_000;
const WORKER_STOP_MS = 10_000;

export const defaultWorkers = (): number => Math.max(1, availableParallelism());

/** worker_threads, loaded by the first parallel search: a process that runs none (a cold CLI check) does not pay for it. */
let threadsModule: typeof import('worker_threads') | undefined;
const workerThreads = (): typeof import('worker_threads') => (threadsModule ??= require('worker_threads') as typeof import('worker_threads'));

/** Workers between searches: starting one costs tens of milliseconds, so a process keeps them (unref'd). */
const idleWorkers: Worker[] = [];

const searchWorkerScript = (): string => workerScript('worker-search.js', join(__dirname, 'parallelWorker.ts'));

function spawnWorker(): Worker {
  const worker = new (workerThreads().Worker)(searchWorkerScript());
  worker.unref();
  worker.on('error', () => {
    const idle = idleWorkers.indexOf(worker);
    if (idle >= 0) idleWorkers.splice(idle, 1);
  });
  return worker;
}

export function parallelOutcome(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions): SearchOutcome {
  const budget = new SearchBudget(limits);
  const workers = Math.max(1, options.workers);
  const base = {
    scenario: program.scenario,
    kernel: program.kernel,
    props: [...props],
    maxStates: limits.maxStates,
    maxDepth: limits.maxDepth,
    timeoutMs: limits.timeoutMs,
    // The livelock pass's store and the shared table are each held to the budget.
    maxMemoryMb: limits.maxMemoryMb,
    symmetry: options.symmetry,
  };
  // With fault-completes, one worker runs the complete search with its livelock pass (it alone decides);
  // the others explore the shared store as bug finders, and a violation from any of them wins.
  const livelockPass = props.has('fault-completes') ? [{ ...base, decisive: true }] : [];
  const explorers = workers - livelockPass.length;
  if (explorers === 0) return finish(runJobs(livelockPass, budget, (control) => progressOf(budget, control)), budget);

  const frontier = topLevels(program, props, limits, options.symmetry, ROOTS_PER_WORKER * explorers);
  if (frontier.violation) return frontier.violation;
  const shared = { store: SharedFingerprintSet.allocate(Math.max(1024, Math.min(INITIAL_SHARED_SLOTS, Math.floor(budget.memoryBytes / 8)))) };
  for (let i = 0; i < frontier.above.length; i += 2) addGrowing(shared, frontier.above[i], frontier.above[i + 1]);
  storeRoots(program, options.symmetry, frontier.roots, shared);
  shared.store.flush();
  const explore = Array.from({ length: explorers }, (_, w) => ({
    ...base,
    share: { roots: frontier.roots, store: shared.store.buffers, threadOrder: rotation(program.threadCount, w) },
  }));
  const run = runJobs([...livelockPass, ...explore], budget, (control) => progressOf(budget, control, { frontierTransitions: frontier.transitions, ...shared }), shared);
  const outcome = finish(run, budget);
  if (livelockPass.length) return outcome;
  return { ...outcome, stats: { ...outcome.stats, states: shared.store.size, transitions: outcome.stats.transitions + frontier.transitions, storeBytes: shared.store.bytes } };
}

/**
 * Progress as the coordinator sees it, from the control words the workers update at every poll: their
 * transitions and deepest depth; as states, the most either store holds, the explorers' shared one or the
 * livelock pass's own (each holds only states the search has found).
 */
function progressOf(budget: SearchBudget, control: Int32Array, explored?: { frontierTransitions: number; store: SharedFingerprintSet }): SearchStats {
  const shared = explored?.store.size ?? 0;
  return {
    states: Math.max(shared, Atomics.load(control, CONTROL.livelockStates)),
    transitions: (explored?.frontierTransitions ?? 0) + Atomics.load(control, CONTROL.transitions),
    ms: budget.elapsed(),
    maxDepth: Atomics.load(control, CONTROL.maxDepth),
    ...(explored ? { storeBytes: explored.store.bytes } : {}),
  };
}

/**
 * One outcome from the workers' replies: a violation wins (the shortest); then the decisive job's
 * verdict (the complete search with the livelock pass), or all explorers' merged; a stop by the
 * coordinator (time, cancellation) makes it bounded.
 */
function finish(run: { replies: WorkerReply[]; stoppedBy: Bound | undefined; decisive: number }, budget: SearchBudget): SearchOutcome {
  const outcomes = run.replies.map((r) => r.outcome);
  const merged = mergeOutcomes(outcomes);
  const decided = run.decisive >= 0 ? outcomes[run.decisive] : merged;
  const stats: SearchStats = { ...decided.stats, transitions: merged.stats.transitions, ms: budget.elapsed() };
  if (merged.verdict === 'violation') return { ...merged, stats };
  if (run.stoppedBy) return { verdict: 'bounded', bound: run.stoppedBy, stats };
  return { ...decided, stats };
}

/**
 * Runs one job per worker and blocks until all have replied, waking every PROGRESS_INTERVAL_MS (or on
 * a worker's signal) to report progress, to stop the workers on cancellation or at the time bound,
 * and to grow the shared store once every running worker has paused for it.
 */
function runJobs(jobs: Omit<WorkerJob, 'control'>[], budget: SearchBudget, progress: (control: Int32Array) => SearchStats,
  shared?: { store: SharedFingerprintSet }): { replies: WorkerReply[]; stoppedBy: Bound | undefined; decisive: number } {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  for (const job of jobs) {
    const channel = new (workerThreads().MessageChannel)();
    ports.push(channel.port1);
    const thread = idleWorkers.pop() ?? spawnWorker();
    threads.push(thread);
    thread.postMessage({ job: { ...job, control: control.buffer }, port: channel.port2 }, [channel.port2]);
  }
  let stoppedBy: Bound | undefined;
  // The coordinator cannot see a worker die while it blocks here: it gives up on workers that do not
  // start, or do not stop once told to, instead of waiting forever.
  const startBy = Date.now() + WORKER_START_MS;
  let stopBy = Infinity;
  const giveUp = (why: string): never => {
    for (const thread of threads) void thread.terminate();
    throw new Error(`parallel search: ${why}`);
  };
  for (let events = Atomics.load(control, CONTROL.events); ; events = Atomics.load(control, CONTROL.events)) {
    const done = Atomics.load(control, CONTROL.done);
    if (done === jobs.length) break;
    if (Atomics.load(control, CONTROL.started) < jobs.length && Date.now() > startBy) giveUp(`workers did not start (${searchWorkerScript()})`);
    if (Atomics.load(control, CONTROL.stop) && stopBy === Infinity) stopBy = Date.now() + WORKER_STOP_MS;
    if (Date.now() > stopBy) giveUp('workers did not stop');
    if (shared && Atomics.load(control, CONTROL.growing) && Atomics.load(control, CONTROL.paused) === jobs.length - done) {
      // Every running worker waits in PausingStore.pause: nobody touches the table while it is copied.
      const fits = shared.store.grownBytes <= budget.memoryBytes;
      if (fits) shared.store = shared.store.grownCopy();
      const grown: GrownStore = fits ? { store: shared.store.buffers } : {};
      ports.forEach((port) => port.postMessage(grown));
      Atomics.store(control, CONTROL.paused, 0);
      Atomics.store(control, CONTROL.growing, 0);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      continue;
    }
    Atomics.wait(control, CONTROL.events, events, PROGRESS_INTERVAL_MS);
    const bound = budget.poll(() => progress(control));
    if (bound && !stoppedBy) {
      stoppedBy = bound;
      Atomics.store(control, CONTROL.stop, 1);
    }
  }
  const replies = ports.map((port) => workerThreads().receiveMessageOnPort(port)?.message as WorkerReply | undefined);
  ports.forEach((port) => port.close());
  const failed = replies.find((r) => !r || r.error);
  if (failed !== undefined || replies.includes(undefined)) giveUp(`a worker failed: ${failed?.error ?? 'no reply'}`);
  idleWorkers.push(...threads);
  return { replies: replies as WorkerReply[], stoppedBy, decisive: jobs.findIndex((job) => job.decisive) };
}

/** Adds a fingerprint before the workers start, growing the table as needed. */
function addGrowing(shared: { store: SharedFingerprintSet }, h1: number, h2: number): void {
  while (shared.store.add(h1, h2) === STORE_NEEDS_GROWTH) {
    shared.store.flush();
    shared.store = shared.store.grownCopy();
  }
}

/** Stores the frontier roots' representatives, which the workers will claim. */
function storeRoots(program: Program, symmetry: boolean, roots: readonly { state: Uint8Array }[], shared: { store: SharedFingerprintSet }): void {
  const sym = symmetry ? ThreadSymmetry.of(program) : undefined;
  const sigma = new Uint8Array(program.threadCount);
  const frame = new StateFrames(program.layout.size, 1);
  const fp = new Int32Array(2);
  for (const root of roots) {
    frame.write(0, root.state);
    if (sym) sym.canonicalise(frame.view(0), sigma);
    fingerprintWords(frame.ints, 0, frame.words, fp);
    addGrowing(shared, fp[0], fp[1]);
  }
}

/** Worker w tries threads starting from w: the workers' searches head different ways from the start. */
function rotation(threads: number, w: number): number[] {
  return Array.from({ length: threads }, (_, i) => (i + w) % threads);
}

export const parallelStrategy: Strategy = {
  id: 'parallel',
  summary: 'exhaustive search on worker threads sharing one visited set (--workers, one per core by default)',
  exhaustive: true,
  takes: { seed: false, shard: false, workers: true },
  run: parallelOutcome,
};
