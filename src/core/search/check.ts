/**
 * checkScenario: the one entry point the CLI, the worker and the tests call. It compiles the scenario
 * for a kernel version, runs a strategy within the bounds, minimises a counterexample (shortest, then
 * fewest preemptions) and turns it into a trace. Deterministic: the same scenario, options and seed
 * give the same schedule (the parallel strategy excepted: which worker finds a bug first varies, but
 * the minimised schedule does not).
 */
import { findKernel, KERNEL_IDS } from '../kernels/versions';
import { Program } from '../model/program';
import type { PropertyId, Scenario } from '../scenario/types';
import { buildTrace } from '../trace/replay';
import { formatSchedule } from '../trace/schedule';
import type { Trace } from '../trace/types';
import { minimise } from './minimise';
import { defaultWorkers } from './parallel';
import { DEFAULT_STRATEGY, findStrategy, STRATEGY_IDS } from './strategies';
import { DEFAULT_STRATEGY_OPTIONS, type Shard, type StrategyOptions } from './strategy';
import type { Bound, SearchLimits, SearchStats } from './verdict';

export interface CheckOptions {
  kernel?: string;
  /** Search strategy id (`STRATEGY_IDS`); `portfolio` when absent. */
  strategy?: string;
  /** Seed of the randomized strategies. */
  seed?: number;
  /** Worker threads for the parallel strategy (default: one per core). */
  workers?: number;
  /** Deterministic share of the work: part `index` (0-based) of `count` (merge with `mergeOutcomes`). */
  shard?: Shard;
  /** Partial-order reduction (sleep sets); on by default. */
  por?: boolean;
  /** Symmetry reduction over threads with identical operations; on by default. */
  symmetry?: boolean;
  /** Random walks (random) or runs (pct). */
  walks?: number;
  /** Bug depth of pct. */
  pctDepth?: number;
  /** Preemptions allowed by the preempt strategy. */
  preemptionBound?: number;
  /** Shrink a counterexample (shortest, then fewest preemptions); on by default. */
  minimise?: boolean;
  maxStates?: number;
  maxDepth?: number;
  timeoutMs?: number;
  /** Memory for the search's stores; stops with bound `memory`. */
  maxMemoryMb?: number;
  /** Called at most every 100 ms. */
  onProgress?: (stats: SearchStats) => void;
  isCancelled?: () => boolean;
}

export interface CheckResult {
  verdict: 'violation' | 'verified' | 'bounded';
  kernel: string;
  strategy: string;
  property?: PropertyId;
  message?: string;
  bound?: Bound;
  schedule?: string;
  trace?: Trace;
  /** A stop came while the counterexample was being shrunk: the schedule is as the search found it, maybe not the shortest. */
  minimisingStopped?: boolean;
  stats: SearchStats;
  /** The bounds the verdict holds within. */
  limits: { maxStates: number; maxDepth: number; timeoutMs: number; maxMemoryMb?: number };
}

export class UnknownKernelError extends Error {
  constructor(readonly kernel: string) {
    super(`unknown kernel version "${kernel}" (known: ${KERNEL_IDS.join(', ')})`);
  }
}

export class UnknownStrategyError extends Error {
  constructor(readonly strategy: string) {
    super(`unknown search strategy "${strategy}" (known: ${STRATEGY_IDS.join(', ')})`);
  }
}

/** Minimisation gets at most this share of the time bound, and this many stored keys. */
const MINIMISE_TIME_SHARE = 0.25;
const MINIMISE_MAX_KEYS = 1_000_000;

export function checkScenario(scenario: Scenario, options: CheckOptions = {}): CheckResult {
  const kernelId = options.kernel ?? scenario.kernel;
  const kernel = findKernel(kernelId);
  if (!kernel) throw new UnknownKernelError(kernelId);
  const strategyId = options.strategy ?? DEFAULT_STRATEGY;
  const strategy = findStrategy(strategyId);
  if (!strategy) throw new UnknownStrategyError(strategyId);
  const limits: SearchLimits = {
    maxStates: options.maxStates ?? scenario.bounds.maxStates,
    maxDepth: options.maxDepth ?? scenario.bounds.maxDepth,
    timeoutMs: options.timeoutMs ?? scenario.bounds.timeoutMs,
    maxMemoryMb: options.maxMemoryMb,
    isCancelled: options.isCancelled,
    onProgress: options.onProgress,
  };
  const strategyOptions: StrategyOptions = {
    seed: options.seed ?? DEFAULT_STRATEGY_OPTIONS.seed,
    por: options.por ?? DEFAULT_STRATEGY_OPTIONS.por,
    symmetry: options.symmetry ?? DEFAULT_STRATEGY_OPTIONS.symmetry,
    workers: options.workers ?? defaultWorkers(),
    walks: options.walks ?? DEFAULT_STRATEGY_OPTIONS.walks,
    pctDepth: options.pctDepth ?? DEFAULT_STRATEGY_OPTIONS.pctDepth,
    preemptionBound: options.preemptionBound ?? DEFAULT_STRATEGY_OPTIONS.preemptionBound,
    ...(options.shard ? { shard: options.shard } : {}),
  };
  const program = new Program(scenario, kernel);
  const props = new Set(scenario.properties);
  const started = Date.now();
  const outcome = strategy.run(program, props, limits, strategyOptions);
  const result: CheckResult = {
    verdict: outcome.verdict,
    kernel: kernelId,
    strategy: strategy.id,
    stats: outcome.stats,
    limits: { maxStates: limits.maxStates, maxDepth: limits.maxDepth, timeoutMs: limits.timeoutMs, ...(limits.maxMemoryMb !== undefined ? { maxMemoryMb: limits.maxMemoryMb } : {}) },
  };
  if (outcome.property) result.property = outcome.property;
  if (outcome.message) result.message = outcome.message;
  if (outcome.bound) result.bound = outcome.bound;
  if (outcome.schedule) {
    const remaining = Math.max(0, limits.timeoutMs - (Date.now() - started));
    const shrink = options.minimise !== false && !outcome.minimal;
    const schedule = shrink
      ? minimise(program, props, outcome.schedule, {
        maxStates: Math.min(limits.maxStates, MINIMISE_MAX_KEYS),
        timeoutMs: Math.min(remaining, limits.timeoutMs * MINIMISE_TIME_SHARE),
        isCancelled: limits.isCancelled,
      })
      : outcome.schedule;
    // A stop while it shrinks keeps the counterexample found, as it was (so does finding nothing shorter).
    if (shrink && schedule === outcome.schedule && limits.isCancelled?.()) result.minimisingStopped = true;
    result.schedule = formatSchedule(schedule);
    result.trace = buildTrace(scenario, kernelId, schedule, outcome.verdict);
    // The replayed trace names real threads (a search under symmetry words a deadlock in its own numbering).
    const replayed = result.trace.violation;
    if (replayed && replayed.property === outcome.property && !schedule.cycle?.length) result.message = replayed.message;
    if (result.minimisingStopped) result.message = `${result.message ?? 'a property fails'} (stopped while shrinking the counterexample: there may be a shorter one)`;
  }
  return result;
}
