/** Activation: registers the commands and the CodeLens provider; returns an API used by tests. */
import * as path from 'path';
import * as vscode from 'vscode';
import { builtinScenarios, getBuiltinScenario, type CheckResult } from '../core';
import type { Scenario } from '../core/scenario/types';
import type { Trace } from '../core/trace/types';
import { runCheckInWorker } from './checkRunner';
import { ModelledFunctionLensProvider } from './codeLens';
import { TimelinePanel } from './timelinePanel';

/** Lets callers (tests, other commands) skip the quick pick. */
export interface RunScenarioRequest {
  scenarioId?: string;
  /** Kernel version id; defaults to the scenario's own kernel. */
  kernel?: string;
}

export interface SwapraceApi {
  runScenario(request?: RunScenarioRequest): Promise<CheckResult | undefined>;
  /** The HTML of the open timeline panel, if one is open. */
  timelineHtml(): string | undefined;
}

/** The trace of the last violation found, for `swaprace.showTimeline`. */
let lastTrace: Trace | undefined;

export function activate(context: vscode.ExtensionContext): SwapraceApi {
  const workerPath = path.join(context.extensionPath, 'dist', 'worker.js');
  const runScenario = (request?: RunScenarioRequest) => runScenarioCommand(context, workerPath, request);
  context.subscriptions.push(
    vscode.commands.registerCommand('swaprace.runScenario', runScenario),
    vscode.commands.registerCommand('swaprace.showTimeline', () => showTimeline(context)),
    vscode.languages.registerCodeLensProvider({ language: 'c' }, new ModelledFunctionLensProvider()),
  );
  return { runScenario, timelineHtml: () => TimelinePanel.active?.panel.webview.html };
}

export function deactivate(): void {}

async function pickScenario(request: RunScenarioRequest | undefined): Promise<Scenario | undefined> {
  if (request?.scenarioId) {
    const scenario = getBuiltinScenario(request.scenarioId);
    if (!scenario) throw new Error(`Swap Race: no built-in scenario '${request.scenarioId}'`);
    return scenario;
  }
  const picked = await vscode.window.showQuickPick(
    builtinScenarios().map((scenario) => ({ label: scenario.id, description: scenario.title, detail: scenario.description, scenario })),
    { title: 'Swap Race: Run Scenario', placeHolder: 'Pick a built-in scenario to check', matchOnDescription: true },
  );
  return picked?.scenario;
}

async function runScenarioCommand(
  context: vscode.ExtensionContext,
  workerPath: string,
  request: RunScenarioRequest | undefined,
): Promise<CheckResult | undefined> {
  const scenario = await pickScenario(request);
  if (!scenario) return undefined;
  const kernel = request?.kernel ?? scenario.kernel;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Swap Race: checking ${scenario.id} on ${kernel}`, cancellable: true },
    (progress, token) =>
      runCheckInWorker(
        workerPath,
        scenario,
        { kernel },
        (p) => progress.report({ message: `${p.states} states, depth ${p.maxDepth}` }),
        token,
      ),
  );
  if (!result) return undefined;
  const summary = `Swap Race: ${scenario.id} on ${result.kernel}: ${result.verdict}`;
  const stats = `(${result.stats.states} states, ${result.stats.ms} ms)`;
  if (result.trace) {
    lastTrace = result.trace;
    TimelinePanel.show(context.extensionUri, result.trace);
  }
  if (result.verdict === 'violation') {
    const why = [result.property, result.message].filter(Boolean).join(': ');
    void vscode.window.showWarningMessage(`${summary}: ${why} ${stats}`);
  } else {
    const bound = result.bound ? ` at the ${result.bound} bound` : '';
    void vscode.window.showInformationMessage(`${summary}${bound} ${stats}`);
  }
  return result;
}

function showTimeline(context: vscode.ExtensionContext): void {
  if (lastTrace) TimelinePanel.show(context.extensionUri, lastTrace);
  else void vscode.window.showInformationMessage('Swap Race: no trace yet. Run a scenario first.');
}
