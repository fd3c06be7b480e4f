/** The status bar item of searches: live counts while one runs (click to stop), then the last verdict (click to show it). */
import * as vscode from 'vscode';
import type { CheckResult } from '../core';
import type { SearchStats } from '../core/search/verdict';
import { Commands } from './commandIds';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('swaprace.run', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Swap Race';
  }

  running(what: string, stats?: SearchStats): void {
    this.item.text = `$(sync~spin) Swap Race: ${what}${stats ? ` · ${stats.states.toLocaleString('en-US')} states` : ''}`;
    this.item.tooltip = 'A Swap Race search is running. Click to stop it.';
    this.item.command = Commands.stop;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  finished(what: string, result: CheckResult | undefined): void {
    if (!result) {
      this.item.text = `$(circle-slash) Swap Race: ${what} stopped`;
      this.item.tooltip = 'The search was stopped before it answered.';
      this.item.backgroundColor = undefined;
    } else if (result.verdict === 'violation') {
      this.item.text = `$(error) Swap Race: ${what}: ${result.property ?? 'violation'}`;
      this.item.tooltip = `${result.message ?? 'a property fails'}. Click to show the timeline.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (result.verdict === 'verified') {
      this.item.text = `$(pass) Swap Race: ${what} verified`;
      this.item.tooltip = `No interleaving up to depth ${result.limits.maxDepth} breaks a property: ${result.stats.states.toLocaleString('en-US')} states, searched exhaustively.`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = `$(warning) Swap Race: ${what} stopped at the ${result.bound ?? ''} bound`;
      this.item.tooltip = 'The search stopped before it could decide: nothing found within the bound.';
      this.item.backgroundColor = undefined;
    }
    this.item.command = result?.trace ? Commands.showTimeline : Commands.runAgain;
    if (!result?.trace) this.item.tooltip += ' Click to run it again.';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
