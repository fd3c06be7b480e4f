/** Run Scenario..., Run Again and Stop. */
import * as vscode from 'vscode';
import type { CheckResult } from '../../core';
import { matchesExpectation } from '../../core/search/expectation';
import { Commands } from '../commandIds';
import { requestedStrategy, requestedTimeout, requestOf } from '../commandArgs';
import { chooseScenarioAndKernel, defaultKernelFor, pickStrategy, stepTitle } from '../pickers';
import { loadScenario } from '../scenarioLibrary';
import { resultText } from '../searchRuns';
import { searchSettings } from '../settings';
import type { RunPlan, Swaprace } from '../swaprace';

const TITLE = 'Swap Race: Run Scenario';

export function registerRunCommands(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.runScenario, 'Run Scenario', (arg?: unknown) => runScenario(swaprace, arg));
  swaprace.registerCommand(Commands.runAgain, 'Run Again', () => runAgain(swaprace));
  swaprace.registerCommand(Commands.stop, 'Stop', () => stop(swaprace));
}

/**
 * Without arguments: asks for a scenario, a version and a strategy. With a request (or a scenario file's
 * Uri), asks only for what it leaves out, and with a scenario and a kernel it asks nothing.
 */
async function runScenario(swaprace: Swaprace, arg: unknown): Promise<CheckResult | undefined> {
  const request = requestOf(arg);
  // A caller that names the scenario wants it run, not a dialogue: the rest comes from the settings.
  const chosen = await chooseScenarioAndKernel(swaprace.scenarioFiles, request, TITLE, 3, defaultKernelFor);
  if (!chosen) return undefined;
  const { loaded, kernel, named } = chosen;
  const settings = searchSettings();
  const strategy =
    requestedStrategy(request) ?? (named ? settings.strategy : await pickStrategy(settings.strategy, stepTitle(TITLE, 3, 3, `${loaded.scenario.id} on ${kernel}`)));
  if (!strategy) return undefined;
  const timeoutMs = requestedTimeout(request);
  return runPlan(swaprace, { source: loaded.source, kernel, settings: { ...settings, strategy, ...(timeoutMs ? { timeoutMs } : {}) } });
}

async function runAgain(swaprace: Swaprace): Promise<CheckResult | undefined> {
  const plan = swaprace.lastRun;
  if (!plan) {
    void vscode.window.showInformationMessage('Swap Race: nothing to run again yet. Run a scenario first.');
    return undefined;
  }
  return runPlan(swaprace, plan);
}

function stop(swaprace: Swaprace): number {
  const stopped = swaprace.runs.stopAll();
  if (stopped === 0) void vscode.window.showInformationMessage('Swap Race: no search is running.');
  return stopped;
}

/** Runs a plan (re-reading the scenario file, so edits count), then shows the outcome everywhere it belongs. */
async function runPlan(swaprace: Swaprace, plan: RunPlan): Promise<CheckResult | undefined> {
  const loaded = await loadScenario(plan.source);
  swaprace.lastRun = plan;
  const result = await swaprace.runs.check({ loaded, kernel: plan.kernel, settings: plan.settings }, { notification: true });
  if (loaded.source.kind === 'file' && loaded.text !== undefined && result) {
    swaprace.diagnostics.onRunResult(loaded.source.uri, loaded.text, result, loaded.scenario.expect[plan.kernel]);
  }
  if (result?.trace) swaprace.timelines.showInPanel(result.trace);
  const what = `${loaded.scenario.id} on ${plan.kernel}`;
  const expectation = loaded.scenario.expect[plan.kernel];
  const surprise = matchesExpectation(result, expectation) === false;
  const note = surprise ? ` The scenario expects ${expectation === 'fail' ? 'a violation' : 'no violation'} on ${plan.kernel}.` : '';
  const message = `Swap Race: ${what}: ${resultText(result)}.${note}`;
  if (result?.verdict === 'violation' || surprise) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  return result;
}
