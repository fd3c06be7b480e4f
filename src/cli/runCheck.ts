/** Runs one search for the CLI: the core's checkScenario with the progress line, and the result as `--json` sees it. */
import { checkScenario, type CheckOptions, type CheckResult, type Scenario } from '../core';
import type { WorkerCheckOptions } from '../core/jobs/jobMessages';
import type { SearchStats } from '../core/search/verdict';
import { atTerminal, checkInterruptibly, listenForCtrlC, signalsDelivered, wasInterrupted } from './interrupt';
import type { ProgressLine } from './progress';
import { checkResultJson, type ResultJson } from './resultJson';
import type { LoadedScenario } from './scenarioSource';
import { seedUsed } from './searchOptions';

/** Long enough for the checks people run again and again (the built-ins take well under it). */
const QUICK_CHECK_MS = 500;

export interface CheckRun {
  result: CheckResult;
  json: ResultJson;
}

export async function runCheck(loaded: LoadedScenario, options: WorkerCheckOptions & { kernel: string }, progress: ProgressLine | undefined): Promise<CheckRun> {
  const label = `${loaded.scenario.id} on ${options.kernel}`;
  try {
    const onProgress = progress && ((stats: SearchStats) => progress.update(stats, label));
    const result = atTerminal() ? await checkAtTerminal(loaded.scenario, options, onProgress) : checkScenario(loaded.scenario, { ...options, onProgress });
    // The strategy and seed as run, defaults included, so that the result says what produced it.
    const asRun = { ...options, strategy: result.strategy, seed: seedUsed(result.strategy, options.seed) };
    return { result, json: checkResultJson(result, { scenarioId: loaded.scenario.id, file: loaded.file, options: asRun }) };
  } finally {
    progress?.clear();
  }
}

/**
 * At a terminal, a check that outlasts QUICK_CHECK_MS runs again on the job worker, where Ctrl-C ends it
 * with a verdict (interrupt.ts). Most checks end well within it, on this thread, without the worker's
 * start (tens of milliseconds), and exactly as off a terminal: the quick run has the same limits and is
 * only cut short by the deadline (in its search or in the shrinking of its counterexample). A long check
 * repeats at most that much work.
 */
async function checkAtTerminal(scenario: Scenario, options: WorkerCheckOptions, onProgress: CheckOptions['onProgress']): Promise<CheckResult> {
  listenForCtrlC();
  const deadline = Date.now() + QUICK_CHECK_MS;
  const quick = checkScenario(scenario, { ...options, onProgress, isCancelled: () => Date.now() > deadline });
  // A Ctrl-C pressed during the quick run reaches its handler only now; its partial result is then the answer.
  await signalsDelivered();
  if ((quick.bound !== 'cancelled' && !quick.minimisingStopped) || wasInterrupted()) return quick;
  return checkInterruptibly(scenario, options, onProgress);
}
