/**
 * One verdict from several `--json` results of one scenario on one version (the shards of a search, or runs
 * with different seeds), by the core's rule (`mergeOutcomes`): any violation wins, the shortest; else a bound;
 * else verified; stats summed. The CLI adds what only whole results show: they must be of one check, and when
 * they are shards, a verified verdict needs every shard.
 */
import { parseSchedule } from '../core';
import { mergeOutcomes } from '../core/search/shard';
import type { SearchOutcome } from '../core/search/verdict';
import { CliError } from './errors';
import type { ResultJson } from './resultJson';

export function mergeResults(results: readonly ResultJson[]): ResultJson {
  const [first] = results;
  for (const result of results) {
    if (result.scenario !== first.scenario || result.kernel !== first.kernel) {
      throw new CliError(`cannot merge results of different checks: ${first.scenario} on ${first.kernel} and ${result.scenario} on ${result.kernel}`);
    }
  }
  const missing = missingShards(results);
  const outcomes = results.map(toOutcome);
  const merged = mergeOutcomes(outcomes);
  // The merged outcome keeps the deciding part's schedule object, which identifies the result to report.
  const decisive =
    merged.verdict === 'violation'
      ? results[outcomes.findIndex((outcome) => outcome.schedule === merged.schedule)]
      : merged.verdict === 'bounded'
        ? results.find((result) => result.verdict === 'bounded')!
        : missing.length > 0
          ? { ...first, verdict: 'bounded' as const, bound: 'shards', message: `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${first.shard!.count} missing: the search is incomplete` }
          : first;
  const same = <T>(pick: (result: ResultJson) => T): T | null => (results.every((result) => pick(result) === pick(first)) ? pick(first) : null);
  return {
    ...decisive,
    stats: { states: merged.stats.states, transitions: merged.stats.transitions, ms: merged.stats.ms, maxDepth: merged.stats.maxDepth },
    strategy: same((result) => result.strategy),
    seed: same((result) => result.seed),
    shard: null,
  };
}

function toOutcome(result: ResultJson): SearchOutcome {
  return {
    verdict: result.verdict,
    ...(result.property ? { property: result.property } : {}),
    message: result.message,
    // readResultJson has checked that the schedule parses.
    ...(result.schedule !== null && result.verdict === 'violation' ? { schedule: parseSchedule(result.schedule) } : {}),
    stats: result.stats,
  };
}

/** The 1-based numbers of the shards no result covers; none when the results are not shards. */
function missingShards(results: readonly ResultJson[]): number[] {
  const shards = results.map((result) => result.shard);
  if (shards.every((shard) => shard === null)) return [];
  const count = shards[0]?.count;
  if (shards.some((shard) => shard === null || shard.count !== count)) throw new CliError('cannot merge: the results are not shards of one search (their --shard k/n differ in n, or some have none)');
  const seen = new Set<number>();
  for (const shard of shards) {
    if (seen.has(shard!.index)) throw new CliError(`cannot merge: shard ${shard!.index + 1}/${count} is given twice`);
    seen.add(shard!.index);
  }
  return Array.from({ length: count! }, (_, index) => index).filter((index) => !seen.has(index)).map((index) => index + 1);
}
