/** Show Timeline, Step Forward, Step Back, and Select Step (for CodeLens). */
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { Swaprace } from '../swaprace';

export function registerTimelineCommands(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.showTimeline, 'Show Timeline', () => {
    if (!swaprace.timelines.reopenPanel()) void vscode.window.showInformationMessage('Swap Race: no trace yet. Run a scenario that finds a violation, or open a trace file.');
  });
  swaprace.registerCommand(Commands.stepForward, 'Step Forward', () => step(swaprace, 1));
  swaprace.registerCommand(Commands.stepBack, 'Step Back', () => step(swaprace, -1));
  swaprace.registerCommand(Commands.selectStep, 'Select Step', (arg?: unknown) => selectStep(swaprace, arg));
}

/** Selects a step by its index in the trace: the argument is the index, or `{ step }`. */
function selectStep(swaprace: Swaprace, arg: unknown): void {
  const index = typeof arg === 'object' && arg !== null && 'step' in arg ? (arg as { step: unknown }).step : arg;
  const timeline = swaprace.timelines.active;
  if (!timeline?.trace) {
    void vscode.window.showInformationMessage('Swap Race: no timeline with a trace is open.');
    return;
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= timeline.trace.steps.length) {
    throw new Error(`there is no step ${String(index)} in this trace of ${timeline.trace.steps.length} steps`);
  }
  // Brought into view without focus: the user clicked in an editor and keeps working there.
  timeline.panel.reveal(undefined, true);
  timeline.selectStep(index);
}

function step(swaprace: Swaprace, delta: number): void {
  const timeline = swaprace.timelines.active;
  if (!timeline?.trace) {
    void vscode.window.showInformationMessage('Swap Race: no timeline with a trace is open.');
    return;
  }
  timeline.step(delta);
}
