/** Open Trace..., Save Trace... and Replay Schedule.... */
import * as vscode from 'vscode';
import type { Trace } from '../../core/trace/types';
import { Commands } from '../commandIds';
import { requestedFile, requestOf } from '../commandArgs';
import { askForSchedule, chooseScenarioAndKernel, stepTitle } from '../pickers';
import type { Swaprace } from '../swaprace';
import { TRACE_EDITOR_VIEW_TYPE } from '../traceEditor';
import { saveTraceFile } from '../traceExports';

const REPLAY_TITLE = 'Swap Race: Replay Schedule';

export function registerTraceFileCommands(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.openTrace, 'Open Trace', (arg?: unknown) => openTrace(arg));
  swaprace.registerCommand(Commands.saveTrace, 'Save Trace', (arg?: unknown) => saveTrace(swaprace, arg));
  swaprace.registerCommand(Commands.replaySchedule, 'Replay Schedule', (arg?: unknown) => replaySchedule(swaprace, arg));
}

async function openTrace(arg: unknown): Promise<vscode.Uri | undefined> {
  const uri =
    requestedFile(requestOf(arg)) ??
    (await vscode.window.showOpenDialog({ title: 'Swap Race: Open Trace', canSelectMany: false, filters: { 'Swap Race traces (*.swaptrace.json)': ['json'] } }))?.[0];
  if (!uri) return undefined;
  // The trace editor reads the file in a worker and shows its errors if it is not a valid trace.
  await vscode.commands.executeCommand('vscode.openWith', uri, TRACE_EDITOR_VIEW_TYPE);
  return uri;
}

async function saveTrace(swaprace: Swaprace, arg: unknown): Promise<vscode.Uri | undefined> {
  const trace = swaprace.timelines.currentTrace;
  if (!trace) {
    void vscode.window.showInformationMessage('Swap Race: no trace to save. Run a scenario that finds a violation first.');
    return undefined;
  }
  return saveTraceFile(trace, requestedFile(requestOf(arg)));
}

/** Rebuilds the execution a pasted schedule describes, on a scenario and version, and shows it. */
async function replaySchedule(swaprace: Swaprace, arg: unknown): Promise<Trace | undefined> {
  const request = requestOf(arg);
  const chosen = await chooseScenarioAndKernel(swaprace.scenarioFiles, request, REPLAY_TITLE, 3);
  if (!chosen) return undefined;
  const { scenario } = chosen.loaded;
  const { kernel } = chosen;
  const schedule = typeof request.schedule === 'string' ? request.schedule : await askForSchedule(stepTitle(REPLAY_TITLE, 3, 3, `${scenario.id} on ${kernel}`), scenario.threads.map((thread) => thread.name));
  if (schedule === undefined) return undefined;
  swaprace.log.info(`replay: ${scenario.id} on ${kernel}, schedule ${schedule}`);
  const replayed = await swaprace.replay(scenario, kernel, schedule);
  if (!replayed) return undefined;
  if (!replayed.ok) throw new Error(`the schedule does not replay on ${scenario.id} (${kernel}): ${replayed.error}`);
  const { trace } = replayed;
  swaprace.timelines.showInPanel(trace);
  const outcome = trace.violation ? `${trace.violation.property} fails after step ${trace.violation.step + 1}` : 'no property fails along it';
  void vscode.window.showInformationMessage(`Swap Race: replayed ${trace.steps.length} steps of ${scenario.id} on ${kernel}: ${outcome}.`);
  return trace;
}
