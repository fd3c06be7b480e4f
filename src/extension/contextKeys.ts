/** The context keys that gate palette entries (`when` clauses in package.json use the same names). */
import * as vscode from 'vscode';

export const ContextKeys = {
  /** A search is running: Stop applies. */
  isRunning: 'swaprace.isRunning',
  /** A run happened in this session: Run Again applies. */
  canRunAgain: 'swaprace.canRunAgain',
  /** Some trace is at hand (shown, or shown last): Show Timeline and Save Trace apply. */
  hasTrace: 'swaprace.hasTrace',
  /** The timeline commands act on has a trace: Step Forward and Step Back apply. */
  timelineHasTrace: 'swaprace.timelineHasTrace',
  /** A timeline with a trace has focus: the step keybindings apply. */
  timelineFocused: 'swaprace.timelineFocused',
} as const;

export function setContext(key: (typeof ContextKeys)[keyof typeof ContextKeys], value: boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
