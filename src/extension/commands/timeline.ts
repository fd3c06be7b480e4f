/** Show Timeline, Step Forward and Step Back. */
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { Swaprace } from '../swaprace';

export function registerTimelineCommands(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.showTimeline, 'Show Timeline', () => {
    if (!swaprace.timelines.reopenPanel()) void vscode.window.showInformationMessage('Swap Race: no trace yet. Run a scenario that finds a violation, or open a trace file.');
  });
  swaprace.registerCommand(Commands.stepForward, 'Step Forward', () => step(swaprace, 1));
  swaprace.registerCommand(Commands.stepBack, 'Step Back', () => step(swaprace, -1));
}

function step(swaprace: Swaprace, delta: number): void {
  const timeline = swaprace.timelines.active;
  if (!timeline?.trace) {
    void vscode.window.showInformationMessage('Swap Race: no timeline with a trace is open.');
    return;
  }
  timeline.step(delta);
}
