/**
 * checkScenario: the one entry point the CLI, the worker and the tests call. It compiles the scenario
 * for a kernel version, runs a strategy within the bounds, and turns a counterexample into a trace.
 */
import { findKernel, KERNEL_IDS } from '../kernels/versions';
import { Program } from '../model/program';
import type { PropertyId, Scenario } from '../scenario/types';
import { buildTrace } from '../trace/replay';
import { formatSchedule } from '../trace/schedule';
import type { Trace } from '../trace/types';
import { exploreReference } from './reference';
import type { Bound, SearchLimits, SearchStats } from './verdict';

export interface CheckOptions {
  kernel?: string;
  /** Search strategy id (see src/core/search); the reference explorer when absent. */
  strategy?: string;
  /** Seed of the randomized strategies. */
  seed?: number;
  /** Worker threads for parallel strategies. */
  workers?: number;
  /** Deterministic share of the work: part `index` (0-based) of `count`. */
  shard?: { index: number; count: number };
  maxStates?: number;
  maxDepth?: number;
  timeoutMs?: number;
  onProgress?: (stats: SearchStats) => void;
  isCancelled?: () => boolean;
}

export interface CheckResult {
  verdict: 'violation' | 'verified' | 'bounded';
  kernel: string;
  property?: PropertyId;
  message?: string;
  bound?: Bound;
  schedule?: string;
  trace?: Trace;
  stats: SearchStats;
  /** The bounds the verdict holds within. */
  limits: { maxStates: number; maxDepth: number; timeoutMs: number };
}

export class UnknownKernelError extends Error {
  constructor(readonly kernel: string) {
    super(`unknown kernel version "${kernel}" (known: ${KERNEL_IDS.join(', ')})`);
  }
}

export function checkScenario(scenario: Scenario, options: CheckOptions = {}): CheckResult {
  const kernelId = options.kernel ?? scenario.kernel;
  const kernel = findKernel(kernelId);
  if (!kernel) throw new UnknownKernelError(kernelId);
  const limits: SearchLimits = {
    maxStates: options.maxStates ?? scenario.bounds.maxStates,
    maxDepth: options.maxDepth ?? scenario.bounds.maxDepth,
    timeoutMs: options.timeoutMs ?? scenario.bounds.timeoutMs,
    isCancelled: options.isCancelled,
    onProgress: options.onProgress,
  };
  const program = new Program(scenario, kernel);
  const outcome = exploreReference(program, new Set(scenario.properties), limits);
  const result: CheckResult = {
    verdict: outcome.verdict,
    kernel: kernelId,
    stats: outcome.stats,
    limits: { maxStates: limits.maxStates, maxDepth: limits.maxDepth, timeoutMs: limits.timeoutMs },
  };
  if (outcome.property) result.property = outcome.property;
  if (outcome.message) result.message = outcome.message;
  if (outcome.bound) result.bound = outcome.bound;
  if (outcome.schedule) {
    result.schedule = formatSchedule(outcome.schedule);
    result.trace = buildTrace(scenario, kernelId, outcome.schedule, outcome.verdict);
  }
  return result;
}
