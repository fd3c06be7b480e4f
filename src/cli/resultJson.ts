/**
 * The `--json` object of `check`, `compare` (one per version), `replay` and `merge`: one flat object that a
 * script can read without knowing the core's types. `merge` reads it back, so it is validated on the way in.
 */
import { explainTrace, findKernel, KERNEL_IDS, parseSchedule, PROPERTY_IDS, type CheckOptions, type CheckResult, type PropertyId, type Trace, type TraceStep, type VerdictKind } from '../core';
import { SEARCH_OPTION_RANGES, type OptionRange } from '../core/search/optionRanges';
import { STRATEGY_IDS } from '../core/search/strategies';
import type { Shard } from '../core/search/strategy';

export interface ResultJson {
  scenario: string;
  /** The scenario file, when the scenario was read from one. */
  file: string | null;
  kernel: string;
  verdict: VerdictKind;
  property: PropertyId | null;
  /** What failed, or in words why there is no counterexample. */
  message: string;
  /** The bound the search stopped at, when the verdict is `bounded`. */
  bound: string | null;
  schedule: string | null;
  threads: string[];
  steps: TraceStep[];
  /** Index into `steps` of the step after which the property failed (-1: the initial state). */
  violationStep: number | null;
  /** The violation in plain words (explainTrace), one line per link of the chain, each naming its step. */
  why: string[];
  stats: { states: number; transitions: number; ms: number; maxDepth: number };
  /** maxMemoryMb only when a memory bound was given. */
  limits: CheckResult['limits'];
  /** null: the default strategy. */
  strategy: string | null;
  /** null: no seed given or used; after a merge, also repeated runs with different seeds. */
  seed: number | null;
  /** 0-based part `index` of `count`, as the core counts. */
  shard: Shard | null;
}

export interface ResultSource {
  scenarioId: string;
  file?: string;
  options: CheckOptions;
}

/** Why there is no counterexample, in words. A shard proves nothing alone, so its message says it is one. */
export function verdictMessage(result: Pick<CheckResult, 'verdict' | 'message' | 'bound' | 'limits'>, shard?: Shard): string {
  switch (result.verdict) {
    case 'violation':
      return result.message ?? 'a property fails';
    case 'verified':
      return shard
        ? `only ${shardName(shard)} of the search ran (up to depth ${result.limits.maxDepth}): merge every shard's --json result with swaprace merge for the verdict`
        : `no interleaving up to depth ${result.limits.maxDepth} breaks a property`;
    case 'bounded':
      return `stopped at the ${boundName(result.bound, result.limits.maxMemoryMb !== undefined)} before ${shard ? `${shardName(shard)} of the search` : 'the search'} finished; no violation found so far`;
  }
}

/** `shard 2/4`: 1-based, as --shard takes it. */
export function shardName(shard: Shard): string {
  return `shard ${shard.index + 1}/${shard.count}`;
}

/** A bound in words; without --max-memory, the memory bound is what the machine could give. */
function boundName(bound: CheckResult['bound'], memoryLimited: boolean): string {
  switch (bound) {
    case 'states':
      return 'states limit';
    case 'depth':
      return 'depth limit (some executions are longer)';
    case 'time':
      return 'time limit';
    case 'cancelled':
      return 'user\'s request';
    case 'memory':
      return memoryLimited ? 'memory limit' : 'limit of the machine\'s memory';
    case 'samples':
      return 'sample budget (random walks and PCT runs cannot prove the absence of a race)';
    case 'preemptions':
      return 'preemption bound (schedules with more preemptions were not explored)';
    default:
      return 'search bounds';
  }
}

export function checkResultJson(result: CheckResult, source: ResultSource): ResultJson {
  return {
    scenario: source.scenarioId,
    file: source.file ?? null,
    kernel: result.kernel,
    verdict: result.verdict,
    property: result.property ?? null,
    message: verdictMessage(result, source.options.shard),
    bound: result.bound ?? null,
    schedule: result.schedule ?? null,
    threads: result.trace?.threads.map((thread) => thread.name) ?? [],
    steps: result.trace?.steps ?? [],
    violationStep: result.trace?.violation?.step ?? null,
    why: whyLines(result.trace),
    stats: { states: result.stats.states, transitions: result.stats.transitions, ms: result.stats.ms, maxDepth: result.stats.maxDepth },
    limits: result.limits,
    strategy: source.options.strategy ?? null,
    seed: source.options.seed ?? null,
    shard: source.options.shard ?? null,
  };
}

/** The explanation's parts as lines; step numbers are 1-based, as the step tables print them. */
export function whyLines(trace: Trace | undefined): string[] {
  const explanation = trace ? explainTrace(trace) : undefined;
  return explanation?.parts.map((part) => (part.step === undefined ? part.text : `step ${part.step + 1}: ${part.text}`)) ?? [];
}

/** What `replay --json` prints: the result fields that make sense for one execution, and its states. */
export type ReplayJson = Pick<ResultJson, 'scenario' | 'file' | 'kernel' | 'verdict' | 'property' | 'message' | 'schedule' | 'threads' | 'steps' | 'violationStep' | 'why'> & {
  states: Trace['states'];
};

export function replayJson(trace: Trace, file: string | undefined): ReplayJson {
  return {
    scenario: trace.scenario.id,
    file: file ?? null,
    kernel: trace.kernel,
    verdict: trace.verdict,
    property: trace.violation?.property ?? null,
    message: trace.violation?.message ?? 'no property fails along this schedule',
    schedule: trace.schedule,
    threads: trace.threads.map((thread) => thread.name),
    steps: trace.steps,
    violationStep: trace.violation?.step ?? null,
    why: whyLines(trace),
    states: trace.states,
  };
}

/** Reads a `--json` object back, or says which field is wrong. */
export function readResultJson(value: unknown): ResultJson | string {
  if (!isRecord(value)) return 'expected the JSON object that swaprace check --json prints';
  const stats = value.stats;
  const limits = value.limits;
  if (typeof value.scenario !== 'string') return 'expected "scenario" to be a string';
  if (typeof value.kernel !== 'string' || !findKernel(value.kernel)) return `expected "kernel" to be one of ${KERNEL_IDS.join(', ')}`;
  if (value.verdict !== 'violation' && value.verdict !== 'verified' && value.verdict !== 'bounded') return 'expected "verdict" to be "violation", "verified" or "bounded"';
  if (value.property !== null && !PROPERTY_IDS.includes(value.property as PropertyId)) return `expected "property" to be null or one of ${PROPERTY_IDS.join(', ')}`;
  if (value.verdict === 'violation' && value.property === null) return 'expected a "property" in a violation';
  if (typeof value.message !== 'string') return 'expected "message" to be a string';
  if (value.schedule !== null && !(typeof value.schedule === 'string' && isSchedule(value.schedule))) return 'expected "schedule" to be null or a schedule such as "0.0.1.2/1"';
  if (value.verdict === 'violation' && value.schedule === null) return 'expected a "schedule" in a violation';
  if (!isRecord(stats) || !['states', 'transitions', 'ms', 'maxDepth'].every((key) => isCount(stats[key]))) return 'expected "stats" with the counts states, transitions, ms and maxDepth';
  if (!isRecord(limits) || !['maxStates', 'maxDepth', 'timeoutMs'].every((key) => isCount(limits[key]))) return 'expected "limits" with maxStates, maxDepth and timeoutMs';
  if (limits.maxMemoryMb !== undefined && !isInRange(limits.maxMemoryMb, SEARCH_OPTION_RANGES.maxMemoryMb)) {
    return `expected "limits.maxMemoryMb", when there is one, to be a whole number from ${SEARCH_OPTION_RANGES.maxMemoryMb.min} to ${SEARCH_OPTION_RANGES.maxMemoryMb.max}`;
  }
  if (!Array.isArray(value.threads) || !value.threads.every((name) => typeof name === 'string')) return 'expected "threads" to be a list of names';
  if (!Array.isArray(value.steps) || !value.steps.every(isStep)) return 'expected "steps" to be a list of steps with thread, stepId and label';
  if (value.violationStep !== null && !(Number.isInteger(value.violationStep) && (value.violationStep as number) >= -1)) return 'expected "violationStep" to be null or a step index';
  // What tells results of one search apart (see mergeResults) must be read as written, not defaulted.
  if (value.file !== null && typeof value.file !== 'string') return 'expected "file" to be null or the path of the scenario file';
  if (value.strategy !== null && !STRATEGY_IDS.includes(value.strategy as string)) return `expected "strategy" to be null or one of ${STRATEGY_IDS.join(', ')}`;
  if (value.seed !== null && !isInRange(value.seed, SEARCH_OPTION_RANGES.seed)) return `expected "seed" to be null or an integer from ${SEARCH_OPTION_RANGES.seed.min} to ${SEARCH_OPTION_RANGES.seed.max}`;
  if (value.shard !== null && !isShard(value.shard)) return `expected "shard" to be null or { index, count } with index < count <= ${SEARCH_OPTION_RANGES.shards.max}, as --shard takes`;
  // Rebuilt field by field, so that nothing but these fields (no "__proto__", no extras) goes further.
  return {
    scenario: value.scenario,
    file: value.file as string | null,
    kernel: value.kernel,
    verdict: value.verdict,
    property: value.property as PropertyId | null,
    message: value.message,
    bound: typeof value.bound === 'string' ? value.bound : null,
    schedule: value.schedule as string | null,
    threads: value.threads as string[],
    steps: (value.steps as TraceStep[]).map(copyStep),
    violationStep: value.violationStep as number | null,
    why: Array.isArray(value.why) ? value.why.filter((line): line is string => typeof line === 'string') : [],
    stats: { states: stats.states as number, transitions: stats.transitions as number, ms: stats.ms as number, maxDepth: stats.maxDepth as number },
    limits: {
      maxStates: limits.maxStates as number,
      maxDepth: limits.maxDepth as number,
      timeoutMs: limits.timeoutMs as number,
      ...(limits.maxMemoryMb !== undefined ? { maxMemoryMb: limits.maxMemoryMb as number } : {}),
    },
    strategy: value.strategy as string | null,
    seed: value.seed as number | null,
    shard: isShard(value.shard) ? { index: value.shard.index, count: value.shard.count } : null,
  };
}

/** A schedule as check writes it: parseSchedule alone would take surrounding whitespace, control characters included. */
function isSchedule(text: string): boolean {
  try {
    parseSchedule(text);
    return text.trim() === text;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isInRange(value: unknown, range: OptionRange): value is number {
  return Number.isInteger(value) && (value as number) >= range.min && (value as number) <= range.max;
}

/** The shard --shard accepts, in the core's 0-based counting: a count beyond it would be no search swaprace runs. */
function isShard(value: unknown): value is Shard {
  return isRecord(value) && isInRange(value.count, SEARCH_OPTION_RANGES.shards) && isInRange(value.index, { min: 0, max: (value.count as number) - 1 });
}

function isStep(value: unknown): boolean {
  return isRecord(value) && isCount(value.thread) && typeof value.stepId === 'string' && typeof value.label === 'string';
}

function copyStep(step: TraceStep): TraceStep {
  const anchor = isRecord(step.anchor) && typeof step.anchor.fn === 'string' && typeof step.anchor.point === 'string' ? step.anchor : { fn: '', point: '' };
  const ids = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : []);
  return {
    thread: step.thread,
    stepId: step.stepId,
    label: step.label,
    anchor: { fn: anchor.fn, point: anchor.point },
    reads: ids(step.reads),
    writes: ids(step.writes),
    ...(isCount(step.choice) ? { choice: step.choice } : {}),
  };
}
