/** The search flags `check` and `compare` share, validated into the core's CheckOptions. */
import { availableParallelism } from 'node:os';
import type { CheckOptions } from '../core';
import { integerOption, stringOption, type OptionSpec, type ParsedArgs } from './args';
import { CliError, warn } from './errors';
import { SEARCH_OPTION_RANGES as RANGES } from '../core/search/optionRanges';
import { DEFAULT_STRATEGY, STRATEGIES, STRATEGY_IDS } from '../core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS, type Strategy } from '../core/search/strategy';
import { count } from './text';

/** The strategies that read an option (the others search everything in every shard, or ignore it). */
const strategiesTaking = (option: keyof Strategy['takes']): readonly string[] => STRATEGIES.filter((s) => s.takes[option]).map((s) => s.id);
const SHARDED_STRATEGIES = strategiesTaking('shard');
const SEEDED_STRATEGIES = strategiesTaking('seed');
const WORKER_STRATEGIES = strategiesTaking('workers');

export const SEARCH_OPTIONS: Record<string, OptionSpec> = {
  strategy: { type: 'string' },
  seed: { type: 'string' },
  'max-states': { type: 'string' },
  'max-depth': { type: 'string' },
  timeout: { type: 'string' },
  'max-memory': { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
};

/** Every search option but --shard, which only `check` takes (its --json results are what merge reads). */
export const SEARCH_OPTIONS_HELP = `  --strategy S      ${STRATEGY_IDS.join(', ')} (default ${DEFAULT_STRATEGY})
  --seed N          seed of the random strategies (${RANGES.seed.min} to ${RANGES.seed.max}; used by ${SEEDED_STRATEGIES.join(', ')})
  --max-states N    stop after N states (${RANGES.maxStates.min} to ${count(RANGES.maxStates.max)}; default: the scenario's bound)
  --max-depth N     explore executions up to N steps (${RANGES.maxDepth.min} to ${count(RANGES.maxDepth.max)})
  --timeout S       stop after S seconds (up to ${RANGES.timeoutMs.max / 1000})
  --max-memory MB   stop when the search's stores outgrow MB MiB (${RANGES.maxMemoryMb.min} to ${count(RANGES.maxMemoryMb.max)}; default: the machine's memory)
  --workers N       worker threads of the ${WORKER_STRATEGIES.join(', ')} strategy (${RANGES.workers.min} to ${RANGES.workers.max})`;

export const SHARD_OPTION_HELP = `  --shard k/n       explore only part k of n (1-based; ${SHARDED_STRATEGIES.join(', ')}); combine the --json results with merge`;

/** The search options of `args`, without the kernel (each command chooses it its own way). */
export function searchOptions(args: ParsedArgs): Omit<CheckOptions, 'kernel'> {
  const options: Omit<CheckOptions, 'kernel'> = {};
  const strategy = stringOption(args, 'strategy');
  if (strategy !== undefined) {
    if (!(STRATEGY_IDS as readonly string[]).includes(strategy)) throw new CliError(`unknown strategy "${strategy}" (known: ${STRATEGY_IDS.join(', ')})`);
    options.strategy = strategy;
  }
  const seed = integerOption(args, 'seed', RANGES.seed);
  if (seed !== undefined) options.seed = seed;
  const maxStates = integerOption(args, 'max-states', RANGES.maxStates);
  if (maxStates !== undefined) options.maxStates = maxStates;
  const maxDepth = integerOption(args, 'max-depth', RANGES.maxDepth);
  if (maxDepth !== undefined) options.maxDepth = maxDepth;
  const timeoutMs = timeoutOption(args);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  const maxMemoryMb = integerOption(args, 'max-memory', RANGES.maxMemoryMb);
  if (maxMemoryMb !== undefined) options.maxMemoryMb = maxMemoryMb;
  const workers = integerOption(args, 'workers', RANGES.workers);
  if (workers !== undefined) options.workers = workers;
  const shard = shardOption(args);
  if (shard) options.shard = shard;
  checkStrategyTakes(options);
  return options;
}

/** The seed a search drew on: none for a strategy without randomness. */
export function seedUsed(strategy: string, seed: number | undefined): number | undefined {
  return SEEDED_STRATEGIES.includes(strategy) ? (seed ?? DEFAULT_STRATEGY_OPTIONS.seed) : undefined;
}

/**
 * A shard the strategy would not honour is an error: each shard would search everything, and merge would add
 * up the same states. A seed or worker count it ignores changes nothing, as in the extension, whose settings
 * apply to whichever strategy reads them; the warning only says so. So does the one for more workers than
 * cores, which buy nothing and delay the time bound and Ctrl-C while they start and stop.
 */
function checkStrategyTakes(options: Omit<CheckOptions, 'kernel'>): void {
  const strategy = options.strategy ?? DEFAULT_STRATEGY;
  if (options.shard && !SHARDED_STRATEGIES.includes(strategy)) {
    throw new CliError(`--shard works with the strategies ${SHARDED_STRATEGIES.join(', ')}; ${strategy} would search everything in every shard`);
  }
  if (options.seed !== undefined && !SEEDED_STRATEGIES.includes(strategy)) warn(`--seed is ignored: the ${strategy} strategy uses no randomness`);
  if (options.workers !== undefined && !WORKER_STRATEGIES.includes(strategy)) warn(`--workers is ignored: only the ${WORKER_STRATEGIES.join(', ')} strategy starts worker threads`);
  else if (options.workers !== undefined && options.workers > availableParallelism()) {
    warn(`--workers ${options.workers} is more than the ${availableParallelism()} cores here: the workers share them, and starting and stopping them takes longer`);
  }
}

/** Seconds, possibly fractional, as milliseconds. */
function timeoutOption(args: ParsedArgs): number | undefined {
  const text = stringOption(args, 'timeout');
  if (text === undefined) return undefined;
  const ms = /^\d{1,6}(\.\d{1,3})?$/.test(text) ? Math.round(Number(text) * 1000) : NaN;
  if (!(ms >= RANGES.timeoutMs.min && ms <= RANGES.timeoutMs.max)) {
    throw new CliError(`--timeout expects seconds from ${RANGES.timeoutMs.min / 1000} to ${RANGES.timeoutMs.max / 1000}, got "${text}"`);
  }
  return ms;
}

/** `k/n`, 1-based on the command line, 0-based for the core. */
function shardOption(args: ParsedArgs): CheckOptions['shard'] {
  const text = stringOption(args, 'shard');
  if (text === undefined) return undefined;
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const part = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < RANGES.shards.min || count > RANGES.shards.max || part < 1 || part > count) {
    throw new CliError(`--shard expects k/n with 1 <= k <= n <= ${RANGES.shards.max}, e.g. 2/4, got "${text}"`);
  }
  return { index: part - 1, count };
}
