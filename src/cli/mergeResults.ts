/**
 * One verdict from several `--json` results of one scenario on one version (the shards of a search, or runs
 * with different seeds), by the core's rule (`mergeOutcomes`): any violation wins, the shortest; else a bound;
 * else verified; stats summed. The CLI adds what only whole results show: they must be of one check; repeated
 * runs must differ in their seed; and when they are shards, a verified verdict needs every shard.
 */
import { normalize } from 'node:path';
import { parseSchedule } from '../core';
import { mergeOutcomes } from '../core/search/shard';
import { DEFAULT_STRATEGY } from '../core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../core/search/strategy';
import type { SearchOutcome } from '../core/search/verdict';
import { CliError } from './errors';
import { verdictMessage, type ResultJson } from './resultJson';
import { count, printable } from './text';

/** A result and the file it was read from, which errors name. */
export interface ResultFile {
  path: string;
  result: ResultJson;
}

type Fields = Record<string, (result: ResultJson) => unknown>;

/** What one check is: the question (scenario, file, kernel) and how it was searched, which the verdict's claim depends on. */
const CHECK_FIELDS: Fields = {
  scenario: (result) => result.scenario,
  // `./s.json` and `s.json` are one file; CI shards run the same command in the same checkout.
  file: (result) => (result.file === null ? null : normalize(result.file)),
  kernel: (result) => result.kernel,
  strategy: (result) => result.strategy ?? DEFAULT_STRATEGY,
  'limits.maxStates': (result) => result.limits.maxStates,
  'limits.maxDepth': (result) => result.limits.maxDepth,
  'limits.timeoutMs': (result) => result.limits.timeoutMs,
  'limits.maxMemoryMb': (result) => result.limits.maxMemoryMb ?? null,
};

/** What splits one search into shards: n, and the seed (a sampling strategy deals its seeded samples out to the shards). */
const SHARD_FIELDS: Fields = {
  'shard.count': (result) => result.shard?.count ?? null,
  seed: (result) => result.seed ?? DEFAULT_STRATEGY_OPTIONS.seed,
};

/** Missing shards named one by one in a message; 4,095 of them would fill the terminal. */
const LISTED_MISSING_SHARDS = 10;

export function mergeResults(files: readonly ResultFile[]): ResultJson {
  requireAgreement(files, CHECK_FIELDS, 'results of one check');
  const results = files.map((file) => file.result);
  if (results.some((result) => result.shard !== null)) requireAgreement(files, SHARD_FIELDS, 'shards of one search');
  else requireDistinctSeeds(files);
  const [first] = results;
  const missing = missingShards(results);
  const outcomes = results.map(toOutcome);
  const merged = mergeOutcomes(outcomes);
  // The merged outcome keeps the deciding part's schedule object, which identifies the result to report.
  // A verified shard's message speaks of that shard only: the whole search's is made anew.
  const decisive =
    merged.verdict === 'violation'
      ? results[outcomes.findIndex((outcome) => outcome.schedule === merged.schedule)]
      : merged.verdict === 'bounded'
        ? results.find((result) => result.verdict === 'bounded')!
        : missing.length > 0
          ? { ...first, verdict: 'bounded' as const, bound: 'shards', message: missingShardsMessage(missing, first.shard!.count) }
          : { ...first, message: verdictMessage({ verdict: 'verified', limits: first.limits }) };
  return {
    ...decisive,
    stats: { states: merged.stats.states, transitions: merged.stats.transitions, ms: merged.stats.ms, maxDepth: merged.stats.maxDepth },
    // Repeated runs may differ in their seed; shards may not.
    seed: results.every((result) => result.seed === first.seed) ? first.seed : null,
    shard: null,
  };
}

function requireAgreement(files: readonly ResultFile[], fields: Fields, what: string): void {
  const [first] = files;
  for (const [field, pick] of Object.entries(fields)) {
    const other = files.find((file) => pick(file.result) !== pick(first.result));
    if (other) {
      const shown = (file: ResultFile) => printable(JSON.stringify(pick(file.result)));
      throw new CliError(`cannot merge: "${field}" is ${shown(first)} in ${first.path} but ${shown(other)} in ${other.path} (${what} must agree on it)`);
    }
  }
}

/** Repeated runs are merged for their different seeds: two with one seed are one search twice, whose stats would count double. */
function requireDistinctSeeds(files: readonly ResultFile[]): void {
  const bySeed = new Map<number | null, ResultFile>();
  for (const file of files) {
    const seed = file.result.seed ?? null;
    const earlier = bySeed.get(seed);
    if (earlier) throw new CliError(`cannot merge: ${earlier.path} and ${file.path} are runs of one check with one seed (${seed}): one search twice`);
    bySeed.set(seed, file);
  }
}

function toOutcome(result: ResultJson): SearchOutcome {
  return {
    verdict: result.verdict,
    ...(result.property ? { property: result.property } : {}),
    message: result.message,
    // readResultJson has checked that a violation has a schedule and that it parses.
    ...(result.schedule !== null && result.verdict === 'violation' ? { schedule: parseSchedule(result.schedule) } : {}),
    stats: result.stats,
  };
}

/** The 1-based numbers of the shards no result covers (the results agree on n); none when they are not shards. */
function missingShards(results: readonly ResultJson[]): number[] {
  const shardCount = results[0].shard?.count;
  if (shardCount === undefined) return [];
  const seen = new Set<number>();
  for (const { shard } of results) {
    if (seen.has(shard!.index)) throw new CliError(`cannot merge: shard ${shard!.index + 1}/${shardCount} is given twice`);
    seen.add(shard!.index);
  }
  return Array.from({ length: shardCount }, (_, index) => index).filter((index) => !seen.has(index)).map((index) => index + 1);
}

function missingShardsMessage(missing: readonly number[], shardCount: number): string {
  const unlisted = missing.length - LISTED_MISSING_SHARDS;
  const listed = unlisted > 0 ? `${missing.slice(0, LISTED_MISSING_SHARDS).join(', ')} and ${count(unlisted)} more` : missing.join(', ');
  return `shard${missing.length > 1 ? 's' : ''} ${listed} of ${count(shardCount)} missing: the search is incomplete`;
}
