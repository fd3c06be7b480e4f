/**
 * The measurements behind `npm run bench` (run from a bundle by bench/run.ts). For every case of every
 * family: the verdict and throughput of dfs (POR + symmetry, single core; per wall second and per CPU
 * second of the process, which other jobs on the machine skew less), bytes per stored state, time
 * to the first violation and to the verdict, the reduction ratio against dfs without reductions, what
 * sleep sets save on the safety properties (they are off when livelocks are checked), and the
 * speed-up of 2 parallel workers over one core doing the same work (symmetry, no sleep sets): once on
 * the safety properties alone (the parallel part), once end to end (with fault-completes, whose
 * workers also record the state graph and then check it for livelocks). On the largest case, what the
 * visited store alone costs (`visitedStoreFloor`), and that livelock check alone, on one thread and
 * split on 2 workers (`livelockCheckSplit`). Plus the cold-process time of one CLI check (see
 * `coldStarts`).
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { availableParallelism, cpus, loadavg } from 'os';
import { join } from 'path';
import { findKernel } from '../src/core/kernels/versions';
import { Program } from '../src/core/model/program';
import type { PropertyId } from '../src/core/scenario/types';
import { SearchBudget } from '../src/core/search/budget';
import { DepthFirstSearch, usesSleepSets, type VisitedStore } from '../src/core/search/depthFirst';
import { FingerprintSet } from '../src/core/search/fingerprintSet';
import { dealBuckets } from '../src/core/search/graphPartition';
import { checkOnWorkers } from '../src/core/search/parallel';
import { grown } from '../src/core/search/parentTable';
import { initialRoot } from '../src/core/search/roots';
import { GrowingSharedStore, SharedFingerprintSet } from '../src/core/search/sharedFingerprintSet';
import { fairCycleInRecordedGraph, type FairCycleAnswer } from '../src/core/search/stateGraph';
import { StateGraphLog, StateGraphRecorder } from '../src/core/search/stateGraphLog';
import { findStrategy } from '../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS, type StrategyOptions } from '../src/core/search/strategy';
import type { SearchLimits, SearchOutcome } from '../src/core/search/verdict';
import { benchArgsOrExit } from './args';
import { FAMILIES, type BenchCase } from './families';

interface Timed {
  outcome: SearchOutcome;
  ms: number;
  /** CPU time of the main thread during the run: less skewed than wall time by other jobs. */
  cpuMs: number;
}

/** Bounds of the runs without reduction: they only give the denominator of the reduction ratio. */
const UNREDUCED_LIMITS = { maxStates: 20_000_000, timeoutMs: 120_000 };

/**
 * User + system time of the main thread (Linux: /proc, in 10 ms ticks), so that V8's background GC
 * threads and idle workers are not counted; elsewhere the whole process's.
 */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

const log = (text: string): void => void process.stderr.write(`${text}\n`);
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

function run(c: BenchCase, strategy: string, options: Partial<StrategyOptions>, props: ReadonlySet<PropertyId>, limits: Partial<SearchLimits> = {}): Timed {
  const program = new Program(c.scenario, findKernel(c.kernel)!);
  const started = process.hrtime.bigint();
  const cpuBefore = mainThreadCpuMs();
  const outcome = findStrategy(strategy)!.run(program, props, { ...c.scenario.bounds, ...limits }, { ...DEFAULT_STRATEGY_OPTIONS, ...options });
  return { outcome, ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: mainThreadCpuMs() - cpuBefore };
}

/** The fastest of `reps` runs (the machine is shared: the minimum is the least disturbed). */
function fastest(reps: number, once: () => Timed): Timed {
  let best = once();
  for (let i = 1; i < reps; i++) {
    const next = once();
    if (next.ms < best.ms) best = next;
  }
  return best;
}

function measureCase(c: BenchCase, reps: number) {
  const all = new Set(c.scenario.properties);
  const safety = new Set(c.scenario.properties.filter((p) => p !== 'fault-completes'));
  log(`${c.id}: dfs`);
  const dfs = fastest(reps, () => run(c, 'dfs', {}, all));
  const { outcome } = dfs;
  const violation = outcome.verdict === 'violation';
  log(`${c.id}: portfolio`);
  const portfolio = violation ? fastest(reps, () => run(c, 'portfolio', {}, all)) : undefined;
  log(`${c.id}: dfs without reduction`);
  const unreduced = run(c, 'dfs', { por: false, symmetry: false }, all, UNREDUCED_LIMITS);
  const speedup = (props: ReadonlySet<PropertyId>) => {
    const one = fastest(reps, () => run(c, 'dfs', { por: false }, props));
    const two = fastest(reps, () => run(c, 'parallel', { workers: 2 }, props));
    return { oneCoreMs: round(one.ms), twoWorkersMs: round(two.ms), speedup: round(one.ms / two.ms, 2), agree: one.outcome.verdict === two.outcome.verdict };
  };
  log(`${c.id}: sleep sets (safety properties)`);
  const withSleepSets = fastest(reps, () => run(c, 'dfs', {}, safety));
  const withoutSleepSets = fastest(reps, () => run(c, 'dfs', { por: false }, safety));
  log(`${c.id}: parallel (safety properties)`);
  const parallelSafety = speedup(safety);
  log(`${c.id}: parallel (all properties)`);
  const parallelAll = speedup(all);
  return {
    id: c.id,
    kernel: c.kernel,
    threads: c.scenario.threads.length,
    verdict: outcome.verdict,
    ...(outcome.property ? { property: outcome.property } : {}),
    ...(outcome.bound ? { bound: outcome.bound } : {}),
    states: outcome.stats.states,
    transitions: outcome.stats.transitions,
    statesPerSecond: round((outcome.stats.states / dfs.ms) * 1000),
    statesPerCpuSecond: round((outcome.stats.states / dfs.cpuMs) * 1000),
    transitionsPerSecond: round((outcome.stats.transitions / dfs.ms) * 1000),
    bytesPerState: round((outcome.stats.storeBytes ?? 0) / outcome.stats.states, 1),
    timeToVerdictMs: round(dfs.ms),
    ...(violation ? { timeToFirstViolationMs: { dfs: round(dfs.ms), portfolio: round(portfolio!.ms) } } : {}),
    reduction: {
      statesWithPorAndSymmetry: outcome.stats.states,
      statesWithout: unreduced.outcome.stats.states,
      ...(unreduced.outcome.bound ? { withoutStoppedAt: unreduced.outcome.bound } : {}),
      ratio: round(outcome.stats.states / unreduced.outcome.stats.states, 4),
      transitionsRatio: round(outcome.stats.transitions / unreduced.outcome.stats.transitions, 4),
    },
    sleepSets: {
      properties: 'safety only (with fault-completes the livelock pass needs every edge, so sleep sets are off)',
      transitionsWith: withSleepSets.outcome.stats.transitions,
      transitionsWithout: withoutSleepSets.outcome.stats.transitions,
      msWith: round(withSleepSets.ms),
      msWithout: round(withoutSleepSets.ms),
    },
    parallel: { safety: parallelSafety, all: parallelAll },
  };
}

/** A dfs store that also keeps every fingerprint it is given, in order. */
class RecordingStore implements VisitedStore {
  private readonly set: FingerprintSet;
  keys = new Int32Array(1 << 20);
  length = 0;

  constructor(withPayload: boolean) {
    this.set = new FingerprintSet(1 << 12, withPayload);
  }

  add(h1: number, h2: number): number {
    if (this.length + 2 > this.keys.length) this.keys = grown(this.keys, this.keys.length * 2);
    this.keys[this.length++] = h1;
    this.keys[this.length++] = h2;
    return this.set.add(h1, h2);
  }

  get size(): number {
    return this.set.size;
  }

  get bytes(): number {
    return this.set.bytes;
  }

  get payload(): Uint8Array | undefined {
    return this.set.payload;
  }
}

/**
 * What the visited store alone costs on a case: the fingerprints a dfs run adds (one per transition,
 * in its order) are recorded, then added again, alone, into a fresh store that starts and grows as
 * the search's does. No search of this shape with this store can be faster than that on this machine:
 * the figure bounds states per second from above.
 */
function visitedStoreFloor(c: BenchCase, reps: number, dfsMs: number) {
  const props = new Set(c.scenario.properties);
  const options = { por: DEFAULT_STRATEGY_OPTIONS.por, symmetry: DEFAULT_STRATEGY_OPTIONS.symmetry, livelock: props.has('fault-completes') };
  const withPayload = usesSleepSets(options, c.scenario.threads.length);
  const recorder = new RecordingStore(withPayload);
  const program = new Program(c.scenario, findKernel(c.kernel)!);
  const outcome = new DepthFirstSearch(program, props, c.scenario.bounds, { ...options, store: recorder }).run(initialRoot(program));
  const { keys, length } = recorder;
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const store = new FingerprintSet(1 << 12, withPayload);
    const started = process.hrtime.bigint();
    for (let i = 0; i < length; i += 2) store.add(keys[i], keys[i + 1]);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return {
    case: c.id,
    adds: length / 2,
    storeAloneMs: round(best),
    shareOfDfsTime: round(best / dfsMs, 3),
    statesPerSecondCeiling: round((outcome.stats.states / best) * 1000),
  };
}

/**
 * The parallel strategy's livelock check on a case's recorded graph (recorded here by one dfs over a
 * store with ids, as the workers record theirs): on one thread, and split by operation class on 2
 * workers. It follows transitions to states anywhere in memory, so memory more than the cores bounds
 * it: the split gains less than the search does.
 */
function livelockCheckSplit(c: BenchCase, reps: number) {
  const program = new Program(c.scenario, findKernel(c.kernel)!);
  const store = new GrowingSharedStore(SharedFingerprintSet.allocate(1 << 12, true));
  const graph = new StateGraphLog();
  const limits = c.scenario.bounds;
  new DepthFirstSearch(program, new Set(c.scenario.properties), limits, { por: false, symmetry: DEFAULT_STRATEGY_OPTIONS.symmetry, livelock: false, store, graph: new StateGraphRecorder(graph) })
    .run(initialRoot(program));
  store.store.flush();
  const chunks = graph.filled();
  const recorded = graph.load.states.reduce((sum, n) => sum + n, 0);
  const states = store.store.idBound;
  const threads = program.threadCount;
  const timed = (check: () => FairCycleAnswer) => {
    let best = Infinity;
    let answer: FairCycleAnswer;
    for (let r = 0; r < reps; r++) {
      const started = process.hrtime.bigint();
      answer = check();
      best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { ms: best, answer };
  };
  const oneThread = timed(() => fairCycleInRecordedGraph(chunks, states, threads));
  const parts = dealBuckets(graph.load, 2);
  const budget = new SearchBudget(limits);
  const twoWorkers = timed(() => checkOnWorkers(chunks, states, threads, parts, budget, () => ({ states, transitions: 0, ms: budget.elapsed(), maxDepth: 0 })));
  return {
    case: c.id,
    states: recorded,
    recordedTransitions: graph.load.words.reduce((sum, words) => sum + words, 0) / 2 - 2 * recorded,
    partStates: parts.map((part) => part.states),
    oneThreadMs: round(oneThread.ms),
    twoWorkersMs: round(twoWorkers.ms),
    speedup: round(oneThread.ms / twoWorkers.ms, 2),
    agree: JSON.stringify(oneThread.answer) === JSON.stringify(twoWorkers.answer),
  };
}

/** Wall time of `node <args>` from a cold process, median of 5, and what it printed; `expectedStatus` is its exit code. */
function coldStart(args: string[], env: NodeJS.ProcessEnv, expectedStatus: number): { medianMs: number; output: string } {
  const times: number[] = [];
  let output = '';
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', env });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (child.status !== expectedStatus) throw new Error(`cold run ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
    output = child.stdout.trim().split('\n')[0];
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(times[2]), output };
}

/**
 * `swaprace check anon-direct-aba --kernel v6.7` (exit 1: a violation, minimised and traced) from a
 * cold process, as it ships (the launcher and its code cache) and its bundle run directly, beside bare
 * `node -e 0`. Node reads NODE_EXTRA_CA_CERTS at every start (tens of milliseconds when it names a
 * large bundle, as on these machines), so when it is set everything is also timed without it.
 */
function coldStarts(bundleDir: string) {
  const cli = join(bundleDir, 'cli.js');
  const check = ['check', 'anon-direct-aba', '--kernel', 'v6.7'];
  const timeAll = (env: NodeJS.ProcessEnv) => ({
    nodeAloneMs: coldStart(['-e', '0'], env, 0).medianMs,
    portfolio: coldStart([cli, ...check], env, 1),
    dfs: coldStart([cli, ...check, '--strategy', 'dfs'], env, 1),
    // The CLI's bundle run directly, without the launcher's code cache.
    portfolioWithoutCodeCache: coldStart([join(bundleDir, 'cli-main.js'), ...check], env, 1),
  });
  const asConfigured = timeAll(process.env);
  if (process.env.NODE_EXTRA_CA_CERTS === undefined) return { command: `swaprace ${check.join(' ')}`, asConfigured };
  const { NODE_EXTRA_CA_CERTS: _extraCaCerts, ...withoutExtraCaCerts } = process.env;
  return { command: `swaprace ${check.join(' ')}`, asConfigured, withoutExtraCaCerts: timeAll(withoutExtraCaCerts) };
}

type ColdTimes = ReturnType<typeof coldStarts>['asConfigured'];

/** A trivial loop, timed: how fast this machine runs JavaScript right now (ns per iteration). */
function calibrate(): number {
  const started = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < 1e8; i++) sum = (sum + i) | 0;
  return round(Number(process.hrtime.bigint() - started) / 1e8 + (sum & 0), 2);
}

export function main(args: readonly string[], bundleDir: string): void {
  const { quick, family, reps } = benchArgsOrExit(args);
  const started = Date.now();
  const loadBefore = loadavg();
  // Start the worker pool first: spawning workers is a one-time cost of the process, not of a search.
  const first = FAMILIES[0].cases[0];
  run(first, 'parallel', { workers: 2 }, new Set(first.scenario.properties));
  const families = FAMILIES.filter((f) => !family || f.id === family).map((f) => ({
    id: f.id,
    description: f.description,
    cases: (quick ? f.cases.slice(0, 2) : f.cases).map((c) => measureCase(c, reps)),
  }));
  log('cold start');
  const cold = coldStarts(bundleDir);
  // The target is the default check; `--strategy dfs` (dfs, then minimisation) is timed for comparison.
  const coldMs = (times: ColdTimes) => times.portfolio.medianMs;
  const coldSummary = (times: ColdTimes) => ({
    node: times.nodeAloneMs,
    portfolio: times.portfolio.medianMs,
    dfs: times.dfs.medianMs,
    portfolioWithoutCodeCache: times.portfolioWithoutCodeCache.medianMs,
  });
  const largestFamily = families.reduce((a, b) => (Math.max(...b.cases.map((c) => c.states)) > Math.max(...a.cases.map((c) => c.states)) ? b : a));
  const largest = largestFamily.cases.reduce((a, b) => (b.states > a.states ? b : a));
  const largestCase = FAMILIES.flatMap((f) => f.cases).find((c) => c.id === largest.id)!;
  log(`${largest.id}: the visited store alone`);
  const storeFloor = visitedStoreFloor(largestCase, reps, largest.timeToVerdictMs);
  log(`${largest.id}: the livelock check, on one thread and split on 2 workers`);
  const livelockCheck = livelockCheckSplit(largestCase, reps);
  // Small stores are dominated by their initial capacity: judge bytes per state where it matters.
  const sized = families.flatMap((f) => f.cases).filter((c) => c.states >= 100_000);
  const worstBytes = Math.max(...(sized.length ? sized : families.flatMap((f) => f.cases)).map((c) => c.bytesPerState));
  const summary = {
    largestFamily: largestFamily.id,
    largestCase: largest.id,
    statesPerSecondOneCore: largest.statesPerSecond,
    statesPerCpuSecondOneCore: largest.statesPerCpuSecond,
    bytesPerStoredState: largest.bytesPerState,
    worstBytesPerStoredStateFrom100kStates: worstBytes,
    speedupTwoWorkersSafety: largest.parallel.safety.speedup,
    speedupTwoWorkersEndToEnd: largest.parallel.all.speedup,
    reductionRatio: largest.reduction.ratio,
    visitedStoreAlone: storeFloor,
    livelockCheck,
    sleepSetsOnSafety: {
      transitionsRatio: round(largest.sleepSets.transitionsWith / largest.sleepSets.transitionsWithout, 4),
      timeRatio: round(largest.sleepSets.msWith / largest.sleepSets.msWithout, 2),
    },
    coldStartMs: {
      asConfigured: coldSummary(cold.asConfigured),
      ...(cold.withoutExtraCaCerts ? { withoutExtraCaCerts: coldSummary(cold.withoutExtraCaCerts) } : {}),
    },
    targets: {
      millionStatesPerSecond: largest.statesPerSecond >= 1_000_000,
      atMost16BytesPerState: worstBytes <= 16,
      speedupAtLeast1_7: largest.parallel.safety.speedup >= 1.7,
      coldStartUnder300ms: {
        asConfigured: coldMs(cold.asConfigured) < 300,
        ...(cold.withoutExtraCaCerts ? { withoutExtraCaCerts: coldMs(cold.withoutExtraCaCerts) < 300 } : {}),
      },
    },
  };
  const report = {
    machine: {
      cpus: cpus().length,
      parallelism: availableParallelism(),
      model: cpus()[0]?.model,
      node: process.version,
      nsPerTrivialLoopIteration: calibrate(),
      // Other work on the machine skews every timing, the parallel ones most.
      loadAverageBefore: loadBefore.map((x) => round(x, 2)),
      loadAverageAfter: loadavg().map((x) => round(x, 2)),
    },
    build: 'esbuild bundle (as dist/cli.js), not esbuild-register',
    reps,
    totalSeconds: round((Date.now() - started) / 1000),
    summary,
    families,
    coldStart: cold,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
