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
 * which no worker sees: with `fault-completes`, the shared table also numbers the states, the
 * coordinator and the workers record every state they expand and every transition (`StateGraphLog`),
 * and once the search is complete without a safety violation the workers check the recorded graph for
 * a weakly fair cycle (`stateGraph.ts`), each in the operation classes dealt to it (no cycle leaves a
 * class: `graphPartition.ts`). When one finds a cycle, the single-threaded livelock pass runs to find
 * its counterexample (so a livelock costs the sequential search's time on top).
 * No sleep sets: the shared table holds no sleep sets.
 *
 * Worker entry (`workerScript`): from a bundle, `worker-search.js` next to it, which esbuild.mjs must
 * build from `parallelWorker.ts`; from TypeScript sources, `parallelWorker.ts` bundled on the fly.
 */
import { availableParallelism } from 'os';
import { join } from 'path';
import type { MessagePort, Worker } from 'worker_threads';
import type { Program } from '../model/program';
import type { PropertyId } from '../scenario/types';
import { unlessOutOfMemory } from './allocationFailure';
import { PROGRESS_INTERVAL_MS, SearchBudget } from './budget';
import { livelockPass } from './depthFirst';
import { topLevels, type FrontierGraph } from './frontier';
import { addLoad, dealBuckets, emptyLoad, type GraphPart } from './graphPartition';
import { CONTROL, type CheckJob, type CheckReply, type GrownStore, type WorkerJob, type WorkerReply } from './parallelProtocol';
import { mergeOutcomes } from './shard';
import { GrowingSharedStore, SharedFingerprintSet } from './sharedFingerprintSet';
import { CheckArrays, fairCycleInRecordedGraph, frontierRecords, recordedGraphCheckBytes, type FairCycleAnswer } from './stateGraph';
import type { Strategy, StrategyOptions } from './strategy';
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
  const recordGraph = props.has('fault-completes');
  const frontierGraph: FrontierGraph | undefined = recordGraph ? { states: [], edges: [] } : undefined;
  const frontier = topLevels(program, props, limits, options.symmetry, ROOTS_PER_WORKER * workers, frontierGraph);
  if (frontier.violation) return frontier.violation;
  if (frontier.bounded) return { ...frontier.bounded, stats: { ...frontier.bounded.stats, ms: budget.elapsed() } };
  const slots = Math.max(1024, Math.min(INITIAL_SHARED_SLOTS, Math.floor(budget.memoryBytes / SharedFingerprintSet.slotBytes(recordGraph))));
  const shared = new GrowingSharedStore(SharedFingerprintSet.allocate(slots, recordGraph));
  // The roots too: the workers claim them.
  for (const keys of [frontier.above, frontier.rootKeys]) for (let i = 0; i < keys.length; i += 2) shared.add(keys[i], keys[i + 1]);
  shared.store.flush();
  const jobs: Omit<WorkerJob, 'control'>[] = Array.from({ length: workers }, (_, w) => ({
    scenario: program.scenario,
    kernel: program.kernel,
    props: [...props],
    maxStates: limits.maxStates,
    maxDepth: limits.maxDepth,
    timeoutMs: limits.timeoutMs,
    maxMemoryMb: limits.maxMemoryMb,
    symmetry: options.symmetry,
    recordGraph,
    share: { roots: frontier.roots, store: shared.store.buffers, threadOrder: rotation(program.threadCount, w) },
  }));
  const run = runJobs<WorkerReply>(jobs.map((job) => ({ job })), budget, (control) => progressOf(budget, control, frontier.transitions, shared.store), shared);
  const outcome = finish(run, budget);
  const searched: SearchOutcome = { ...outcome, stats: { ...outcome.stats, states: shared.store.size, transitions: outcome.stats.transitions + frontier.transitions, storeBytes: shared.store.bytes } };
  if (!frontierGraph || searched.verdict !== 'verified') return searched;
  const above = unlessOutOfMemory(() => frontierRecords(frontierGraph, (h1, h2) => shared.store.idOf(h1, h2)));
  if (!above) return { verdict: 'bounded', bound: 'memory', stats: { ...searched.stats, ms: budget.elapsed() } };
  const chunks = [...above.filled(), ...run.replies.flatMap((r) => r.graph ?? [])];
  const load = emptyLoad();
  for (const part of [above.load, ...run.replies.map((r) => r.load ?? emptyLoad())]) addLoad(load, part);
  run.replies.forEach((reply) => delete reply.graph);
  const parts = dealBuckets(load, workers);
  const onWorkers: RecordedGraphCheck = (records, states) => checkOnWorkers(records, states, program.threadCount, parts, budget, () => ({ ...searched.stats, ms: budget.elapsed() }));
  return livelockFromRecordedGraph(program, props, limits, options.symmetry, budget, searched, shared.store, chunks, onWorkers);
}

/**
 * The livelock check with each part on a worker, at once: a livelock found in one part stops the
 * others. The coordinator polls the budget meanwhile, so Ctrl-C and the time bound stop the parts.
 */
export function checkOnWorkers(chunks: Int32Array[], states: number, threads: number, parts: readonly GraphPart[], budget: SearchBudget,
  progress: () => SearchStats): FairCycleAnswer {
  const arrays = CheckArrays.allocate(states, threads);
  const checks = parts.map((part, index) => ({ check: { chunks, states, threads, arrays: arrays.buffer, buckets: part.buckets, partStates: part.states, part: index } }));
  const checked = runJobs<CheckReply>(checks, budget, progress);
  const answers = checked.replies.map((reply) => reply.answer);
  const livelock = answers.find((answer) => answer && 'spinning' in answer);
  if (livelock) return livelock;
  // Parts that all finished have answered, even if the coordinator was told to stop meanwhile. A part
  // that stopped on its own (no room for its arrays) names the bound; the others were cancelled by it.
  const stopped = answers.filter((answer) => answer && 'bound' in answer).map((answer) => (answer as { bound: Bound }).bound);
  if (stopped.length === 0) return undefined;
  return { bound: checked.stoppedBy ?? stopped.find((bound) => bound !== 'cancelled') ?? 'cancelled' };
}

/** The livelock check over the records, of states with ids below `states`: what `fairCycleInRecordedGraph` answers. */
export type RecordedGraphCheck = (chunks: Int32Array[], states: number, poll: () => Bound | undefined) => FairCycleAnswer;

/**
 * A complete search without a safety violation: a weakly fair cycle in the recorded graph is a livelock,
 * whose counterexample the depth-first livelock pass finds. The check runs on this thread, or in parts
 * on the workers; `chunks` is emptied once checked, so the pass does not hold the records.
 */
export function livelockFromRecordedGraph(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, symmetry: boolean, budget: SearchBudget,
  searched: SearchOutcome, store: SharedFingerprintSet, chunks: Int32Array[],
  check: RecordedGraphCheck = (records, states, poll) => fairCycleInRecordedGraph(records, states, program.threadCount, poll)): SearchOutcome {
  const stats = (): SearchStats => ({ ...searched.stats, ms: budget.elapsed() });
  const held = store.bytes + chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  if (held + recordedGraphCheckBytes(store.idBound, program.threadCount) > budget.memoryBytes) return { verdict: 'bounded', bound: 'memory', stats: stats() };
  // The check's own answer may be undefined (no fair cycle): wrapped, so that no room for its arrays is told apart.
  const checked = unlessOutOfMemory(() => ({ answer: check(chunks, store.idBound, () => budget.poll(stats)) }));
  const answer: FairCycleAnswer = checked ? checked.answer : { bound: 'memory' };
  chunks.length = 0;
  if (answer === undefined) return { ...searched, stats: stats() };
  if ('bound' in answer) return { verdict: 'bounded', bound: answer.bound, stats: stats() };
  // The pass searches again from the start: its progress continues the search's figures.
  const onProgress = limits.onProgress;
  const pass = livelockPass(program, props, {
    ...limits,
    timeoutMs: Math.max(1, limits.timeoutMs - budget.elapsed()),
    ...(onProgress ? { onProgress: (p: SearchStats) => onProgress({ ...p, states: Math.max(p.states, searched.stats.states), transitions: searched.stats.transitions + p.transitions, ms: budget.elapsed() }) } : {}),
  }, symmetry);
  if (pass.verdict === 'verified') throw new Error('parallel search: the recorded state graph has a weakly fair cycle that the livelock pass does not find');
  return { ...pass, stats: { ...searched.stats, transitions: searched.stats.transitions + pass.stats.transitions, ms: budget.elapsed() } };
}

/**
 * Progress as the coordinator sees it, from the control words the workers update at every poll: their
 * transitions and deepest depth; as states, what the shared store holds.
 */
function progressOf(budget: SearchBudget, control: Int32Array, frontierTransitions: number, store: SharedFingerprintSet): SearchStats {
  return {
    states: store.size,
    transitions: frontierTransitions + Atomics.load(control, CONTROL.transitions),
    ms: budget.elapsed(),
    maxDepth: Atomics.load(control, CONTROL.maxDepth),
    storeBytes: store.bytes,
  };
}

/** One outcome from the workers' replies: a violation wins (the shortest); a stop by the coordinator (time, cancellation) makes it bounded. */
function finish(run: { replies: WorkerReply[]; stoppedBy: Bound | undefined }, budget: SearchBudget): SearchOutcome {
  const merged = mergeOutcomes(run.replies.map((r) => r.outcome));
  const stats: SearchStats = { ...merged.stats, ms: budget.elapsed() };
  if (merged.verdict === 'violation') return { ...merged, stats };
  if (run.stoppedBy) return { verdict: 'bounded', bound: run.stoppedBy, stats };
  return { ...merged, stats };
}

/**
 * Runs one job (a search, or a part of the livelock check) per worker and blocks until all have
 * replied, waking every PROGRESS_INTERVAL_MS (or on a worker's signal) to report progress, to stop the
 * workers on cancellation or at the time bound, and, in a search, to grow the shared store once every
 * running worker has paused for it.
 */
function runJobs<Reply extends { error?: string }>(jobs: ({ job: Omit<WorkerJob, 'control'> } | { check: Omit<CheckJob, 'control'> })[], budget: SearchBudget,
  progress: (control: Int32Array) => SearchStats, shared?: { store: SharedFingerprintSet }): { replies: Reply[]; stoppedBy: Bound | undefined } {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  for (const job of jobs) {
    const channel = new (workerThreads().MessageChannel)();
    ports.push(channel.port1);
    const thread = idleWorkers.pop() ?? spawnWorker();
    threads.push(thread);
    const message = 'job' in job ? { job: { ...job.job, control: control.buffer } } : { check: { ...job.check, control: control.buffer } };
    thread.postMessage({ ...message, port: channel.port2 }, [channel.port2]);
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
      const larger = shared.store.grownBytes <= budget.memoryBytes ? unlessOutOfMemory(() => shared.store.grownCopy()) : undefined;
      if (larger) shared.store = larger;
      const grown: GrownStore = larger ? { store: larger.buffers } : {};
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
  const replies = ports.map((port) => workerThreads().receiveMessageOnPort(port)?.message as Reply | undefined);
  ports.forEach((port) => port.close());
  const failed = replies.find((r) => !r || r.error);
  if (failed !== undefined || replies.includes(undefined)) giveUp(`a worker failed: ${failed?.error ?? 'no reply'}`);
  idleWorkers.push(...threads);
  return { replies: replies as Reply[], stoppedBy };
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
