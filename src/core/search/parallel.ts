/**
 * `parallel`: exhaustive search on worker threads (one per core by default).
 *
 * The coordinator explores the top levels breadth-first (`topLevels`) until the frontier holds
 * ROOTS_PER_WORKER roots per worker, stores everything it saw in a shared fingerprint table, and
 * starts the workers (`parallelWorker.ts`). Each claims roots in turn and searches depth-first below
 * them; a state is expanded by whoever stored it first, so no state is expanded twice and the union
 * covers the graph. Threads are tried in a different order in each worker, which spreads them apart.
 * `checkScenario` is synchronous, so the coordinator blocks in `Atomics.wait`, waking every 100 ms to
 * report progress and honour cancellation and the time bound.
 *
 * Safety properties and deadlocks are checked in parallel. Livelocks need the SCCs of the whole graph,
 * which the workers do not see: when `fault-completes` is checked and some step jumped back in its
 * path (without such a step the graph has no cycle), the engine's complete livelock pass follows, in
 * one worker. No sleep sets: the shared store holds no per-state sleep set.
 *
 * Worker entry (`workerScript`): from a bundle, `worker-search.js` next to it, which esbuild.mjs must
 * build from `parallelWorker.ts`; from TypeScript sources (tests, tools under esbuild-register), a
 * bundle of `parallelWorker.ts` made once per process.
 */
import { mkdtempSync } from 'fs';
import { createRequire } from 'module';
import { availableParallelism, tmpdir } from 'os';
import { join } from 'path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'worker_threads';
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
import type { Bound, SearchLimits, SearchOutcome, SearchStats } from './verdict';

/** Frontier roots per worker: many small jobs keep both workers busy to the end. */
const ROOTS_PER_WORKER = 64;
/** The shared table starts small and grows (1.5x at 3/4 full) with the workers paused. */
const INITIAL_SHARED_SLOTS = 1 << 16;

export const defaultWorkers = (): number => Math.max(1, availableParallelism());

let sourceWorkerBundle: string | undefined;
/** Workers between searches: starting one costs tens of milliseconds, so a process keeps them (unref'd). */
const idleWorkers: Worker[] = [];

function spawnWorker(): Worker {
  const worker = new Worker(workerScript());
  worker.unref();
  worker.on('error', () => {
    const idle = idleWorkers.indexOf(worker);
    if (idle >= 0) idleWorkers.splice(idle, 1);
  });
  return worker;
}

/**
 * The worker script: `worker-search.js` beside the running bundle, or, when running from TypeScript
 * sources, parallelWorker.ts bundled once per process with esbuild (a dev dependency, loaded through
 * createRequire so that bundling the core does not pull it in).
 */
function workerScript(): string {
  if (!__filename.endsWith('.ts')) return join(__dirname, 'worker-search.js');
  if (!sourceWorkerBundle) {
    const esbuild = createRequire(__filename)('esbuild') as { buildSync(options: object): unknown };
    const outfile = join(mkdtempSync(join(tmpdir(), 'swaprace-worker-')), 'worker-search.js');
    esbuild.buildSync({
      entryPoints: [join(__dirname, 'parallelWorker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
    sourceWorkerBundle = outfile;
  }
  return sourceWorkerBundle;
}

export function parallelOutcome(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, options: StrategyOptions): SearchOutcome {
  const budget = new SearchBudget(limits);
  const workers = Math.max(1, options.workers);
  const livelock = props.has('fault-completes');
  const frontier = topLevels(program, props, limits, options.symmetry, ROOTS_PER_WORKER * workers);
  if (frontier.violation) return frontier.violation;

  const shared = { store: SharedFingerprintSet.allocate(INITIAL_SHARED_SLOTS) };
  for (let i = 0; i < frontier.above.length; i += 2) addGrowing(shared, frontier.above[i], frontier.above[i + 1]);
  storeRoots(program, options.symmetry, frontier.roots, shared);
  shared.store.flush();
  const aboveStates = shared.store.size;

  const base = {
    scenario: program.scenario,
    kernel: program.kernel,
    props: [...props],
    maxStates: limits.maxStates,
    maxDepth: limits.maxDepth,
    timeoutMs: limits.timeoutMs,
    symmetry: options.symmetry,
  };
  const jobs = Array.from({ length: workers }, (_, w) => ({
    ...base,
    share: { roots: frontier.roots, store: shared.store.buffers, threadOrder: rotation(program.threadCount, w), noteRetries: livelock },
  }));
  const explored = runJobs(jobs, budget, (transitions) => ({
    states: shared.store.size,
    transitions: frontier.transitions + transitions,
    ms: budget.elapsed(),
    maxDepth: 0,
    storeBytes: shared.store.bytes,
  }), shared);
  const merged = mergeOutcomes(explored.replies.map((r) => r.outcome));
  const stats: SearchStats = {
    ...merged.stats,
    states: Math.max(shared.store.size, aboveStates),
    transitions: merged.stats.transitions + frontier.transitions,
    ms: budget.elapsed(),
    storeBytes: shared.store.bytes,
  };
  if (merged.verdict === 'violation') return { ...merged, stats };
  if (explored.stoppedBy) return { verdict: 'bounded', bound: explored.stoppedBy, stats };
  if (merged.verdict === 'bounded') return { ...merged, stats };
  const retries = frontier.retriesSeen || explored.replies.some((r) => r.retriesSeen);
  if (!livelock || !retries) return { verdict: 'verified', stats };
  // The livelock pass runs in a worker too: the caller's thread stays free to report and cancel.
  const remaining = { ...base, timeoutMs: Math.max(0, limits.timeoutMs - budget.elapsed()) };
  const pass = runJobs([remaining], budget, (transitions) => ({ ...stats, transitions: stats.transitions + transitions, ms: budget.elapsed() }));
  const outcome = pass.stoppedBy ? { verdict: 'bounded' as const, bound: pass.stoppedBy, stats } : pass.replies[0].outcome;
  return { ...outcome, stats: { ...stats, transitions: stats.transitions + outcome.stats.transitions, ms: budget.elapsed() } };
}

/**
 * Runs one job per worker and blocks until all have replied, waking every PROGRESS_INTERVAL_MS (or on
 * a worker's signal) to report progress, to stop the workers on cancellation or at the time bound,
 * and to grow the shared store once every running worker has paused for it.
 */
function runJobs(jobs: Omit<WorkerJob, 'control'>[], budget: SearchBudget, progress: (transitions: number) => SearchStats,
  shared?: { store: SharedFingerprintSet }): { replies: WorkerReply[]; stoppedBy: Bound | undefined } {
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  for (const job of jobs) {
    const channel = new MessageChannel();
    ports.push(channel.port1);
    const thread = idleWorkers.pop() ?? spawnWorker();
    threads.push(thread);
    thread.postMessage({ job: { ...job, control: control.buffer }, port: channel.port2 }, [channel.port2]);
  }
  let stoppedBy: Bound | undefined;
  for (let events = Atomics.load(control, CONTROL.events); ; events = Atomics.load(control, CONTROL.events)) {
    const done = Atomics.load(control, CONTROL.done);
    if (done === jobs.length) break;
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
    const bound = budget.poll(() => progress(Atomics.load(control, CONTROL.transitions)));
    if (bound && !stoppedBy) {
      stoppedBy = bound;
      Atomics.store(control, CONTROL.stop, 1);
    }
  }
  const replies = ports.map((port) => receiveMessageOnPort(port)?.message as WorkerReply | undefined);
  ports.forEach((port) => port.close());
  const failed = replies.find((r) => !r || r.error);
  if (failed !== undefined || replies.includes(undefined)) {
    for (const thread of threads) void thread.terminate();
    throw new Error(`parallel search worker failed: ${failed?.error ?? 'no reply'}`);
  }
  idleWorkers.push(...threads);
  return { replies: replies as WorkerReply[], stoppedBy };
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
  run: parallelOutcome,
};
