/** Runs one search for the CLI: the core's checkScenario with the progress line, and the result as `--json` sees it. */
import { checkScenario, type CheckOptions, type CheckResult } from '../core';
import type { ProgressLine } from './progress';
import { checkResultJson, type ResultJson } from './resultJson';
import type { LoadedScenario } from './scenarioSource';
import { seedUsed } from './searchOptions';

export interface CheckRun {
  result: CheckResult;
  json: ResultJson;
}

export async function runCheck(loaded: LoadedScenario, options: CheckOptions & { kernel: string }, progress: ProgressLine | undefined): Promise<CheckRun> {
  const label = `${loaded.scenario.id} on ${options.kernel}`;
  try {
    // Awaited so that a strategy that runs in worker threads may return a promise.
    const result = await checkScenario(loaded.scenario, { ...options, onProgress: progress && ((stats) => progress.update(stats, label)) });
    // The strategy and seed as run, defaults included, so that the result says what produced it.
    const asRun = { ...options, strategy: result.strategy, seed: seedUsed(result.strategy, options.seed) };
    return { result, json: checkResultJson(result, { scenarioId: loaded.scenario.id, file: loaded.file, options: asRun }) };
  } finally {
    progress?.clear();
  }
}
