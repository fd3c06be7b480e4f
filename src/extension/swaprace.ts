/**
 * The extension's services in one place (the log, the runs, the timelines, the comparisons, the Problems panel,
 * the workspace's scenario files) and the way commands are registered: every handler runs behind a guard that
 * logs and reports any error with a clear message, so bad input never escapes into the extension host.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { Scenario } from '../core/scenario/types';
import type { TraceFileResult } from '../core/trace/file';
import { ComparisonDocuments } from './comparisonDocuments';
import { ContextKeys, setContext } from './contextKeys';
import { SwapraceDiagnostics } from './diagnostics';
import { RunStatusBar } from './runStatusBar';
import type { ScenarioSource } from './scenarioLibrary';
import { ScenarioFiles } from './scenarioFiles';
import { SearchRuns } from './searchRuns';
import type { SearchSettings } from './settings';
import { Timelines } from './timelines';
import { runWorkerJob } from '../core/jobs/runWorkerJob';
import type { ReplayResult } from '../core/jobs/jobMessages';

/** What Run Again repeats. */
export interface RunPlan {
  source: ScenarioSource;
  kernel: string;
  settings: SearchSettings;
}

export class Swaprace implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Swap Race', { log: true });
  readonly statusBar = new RunStatusBar();
  readonly runs: SearchRuns;
  readonly diagnostics = new SwapraceDiagnostics(this.log);
  readonly scenarioFiles = new ScenarioFiles();
  readonly comparisons = new ComparisonDocuments();
  readonly timelines: Timelines;
  private lastPlan: RunPlan | undefined;
  private readonly workerPath: string;
  private traceReads = 0;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.workerPath = path.join(extension.extensionPath, 'dist', 'worker.js');
    this.runs = new SearchRuns(this.workerPath, this.log, this.statusBar);
    this.timelines = new Timelines(extension.extensionUri, async (restore, cancellation) => {
      const result = await this.readTraceFile(restore, 'restored timeline', cancellation);
      if (!result) return { ok: false, message: 'reading it was stopped' };
      return result.ok ? result : { ok: false, message: result.errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
    });
    extension.subscriptions.push(this, this.scenarioFiles.onDidChange((change) => this.diagnostics.onScenarioFileChange(change)));
  }

  get lastRun(): RunPlan | undefined {
    return this.lastPlan;
  }

  set lastRun(plan: RunPlan | undefined) {
    this.lastPlan = plan;
    setContext(ContextKeys.canRunAgain, plan !== undefined);
  }

  /** How many trace files are being read in workers (for tests, to know when the work is done). */
  get traceReadsInFlight(): number {
    return this.traceReads;
  }

  /** Reads (and replays) an untrusted trace file in a worker; undefined when `cancellation` stopped it. */
  async readTraceFile(text: string, file: string, cancellation?: vscode.CancellationToken): Promise<TraceFileResult | undefined> {
    this.traceReads++;
    try {
      return await runWorkerJob(this.workerPath, { kind: 'readTraceFile', text, file }, cancellation ? { cancellation } : {});
    } finally {
      this.traceReads--;
    }
  }

  replay(scenario: Scenario, kernel: string, schedule: string): Promise<ReplayResult | undefined> {
    return runWorkerJob(this.workerPath, { kind: 'replay', scenario, kernel, schedule });
  }

  /**
   * Registers a command whose errors are caught, logged and shown; it then resolves to undefined. `title` names
   * the command in the message.
   */
  registerCommand<A extends unknown[], R>(id: string, title: string, handler: (...args: A) => R | Promise<R>): void {
    this.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
        try {
          return await handler(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.log.error(`${title}: ${error instanceof Error ? (error.stack ?? message) : message}`);
          void vscode.window.showErrorMessage(`Swap Race: ${title}: ${message}`, 'Show Log').then((choice) => choice && this.log.show());
          return undefined;
        }
      }),
    );
  }

  dispose(): void {
    this.runs.dispose();
    this.timelines.dispose();
    this.diagnostics.dispose();
    this.scenarioFiles.dispose();
    this.comparisons.dispose();
    this.statusBar.dispose();
    this.log.dispose();
  }
}
