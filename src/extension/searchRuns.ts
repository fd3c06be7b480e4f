/**
 * Every search the extension starts goes through here: it runs in a worker thread, shows live counts (in a
 * cancellable progress notification when asked, and in the status bar), logs its effective settings and seed
 * before it starts and its verdict after, and can be stopped by the Stop command, which also ends the loops
 * that run one search after another (Compare Kernel Versions, a test run). Runs may overlap (a test run and a
 * palette run); `swaprace.isRunning` is true, and the status bar shows a search running, while any is active.
 */
import * as vscode from 'vscode';
import type { CheckResult } from '../core';
import type { SearchStats } from '../core/search/verdict';
import { ContextKeys, setContext } from './contextKeys';
import type { RunStatusBar } from './runStatusBar';
import { describeSource, type LoadedScenario } from './scenarioLibrary';
import type { SearchSettings } from './settings';
import { runWorkerJob } from '../core/jobs/runWorkerJob';
import type { WorkerCheckOptions } from '../core/jobs/jobMessages';

export interface RunSpec {
  loaded: LoadedScenario;
  kernel: string;
  settings: SearchSettings;
}

export interface RunUi {
  /** Show a cancellable progress notification (palette runs); test runs report in the Testing view instead. */
  notification: boolean;
  /** Cancels the run from outside (a test run's token). */
  token?: vscode.CancellationToken;
}

/** Where the state of the searches shows: the status bar. */
export type RunStatus = Pick<RunStatusBar, 'running' | 'finished'>;

export class SearchRuns implements vscode.Disposable {
  /** Each running search's cancellation, and what it checks (`scenario on kernel`). */
  private readonly active = new Map<vscode.CancellationTokenSource, string>();
  /** The loops of searches running under `stoppable`. */
  private readonly sessions = new Set<vscode.CancellationTokenSource>();
  private runCount = 0;

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: RunStatus,
  ) {}

  get running(): number {
    return this.active.size;
  }

  /** Resolves to the result (a cancelled search answers "bounded: cancelled"), or undefined if the worker had to be killed. */
  async check(spec: RunSpec, ui: RunUi): Promise<CheckResult | undefined> {
    const run = ++this.runCount;
    const { scenario, source } = spec.loaded;
    const what = `${scenario.id} on ${spec.kernel}`;
    const options = effectiveOptions(spec);
    this.log.info(
      `run ${run}: ${what} (${describeSource(source)}): strategy ${options.strategy}, seed ${options.seed}, workers ${options.workers}, ` +
        `max states ${options.maxStates}, max depth ${options.maxDepth}, timeout ${options.timeoutMs! / 1000} s, max memory ${options.maxMemoryMb} MiB`,
    );
    const cancellation = new vscode.CancellationTokenSource();
    this.active.set(cancellation, what);
    setContext(ContextKeys.isRunning, true);
    const external = ui.token?.onCancellationRequested(() => cancellation.cancel());
    this.status.running(what);
    const search = (report: (stats: SearchStats) => void) =>
      runWorkerJob(this.workerPath, { kind: 'check', scenario, options }, {
        cancellation: cancellation.token,
        onProgress: (stats) => {
          report(stats);
          this.status.running(what, stats);
        },
      });
    let result: CheckResult | undefined;
    try {
      result = ui.notification
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Swap Race: checking ${what}`, cancellable: true },
            (progress, token) => {
              token.onCancellationRequested(() => cancellation.cancel());
              return search((stats) => progress.report({ message: progressText(stats) }));
            },
          )
        : await search(() => undefined);
      this.log.info(`run ${run}: ${resultText(result)}`);
      return result;
    } catch (error) {
      this.log.error(`run ${run}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw error;
    } finally {
      external?.dispose();
      cancellation.dispose();
      this.active.delete(cancellation);
      setContext(ContextKeys.isRunning, this.active.size > 0);
      // The verdict waits until no search runs: the item's click would otherwise run again beside a running one.
      const [stillRunning] = this.active.values();
      if (stillRunning === undefined) this.status.finished(what, result);
      else this.status.running(stillRunning);
    }
  }

  /**
   * Runs a loop of searches (Compare Kernel Versions, a test run) with a token that `outer` or Stop cancels:
   * Stop then ends the loop, not only its current search.
   */
  async stoppable<T>(outer: vscode.CancellationToken, loop: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    const session = new vscode.CancellationTokenSource();
    const link = outer.onCancellationRequested(() => session.cancel());
    if (outer.isCancellationRequested) session.cancel();
    this.sessions.add(session);
    try {
      return await loop(session.token);
    } finally {
      this.sessions.delete(session);
      link.dispose();
      session.dispose();
    }
  }

  /** Asks every running search, and every loop of them, to stop; returns how many searches there were. */
  stopAll(): number {
    for (const session of this.sessions) session.cancel();
    for (const run of this.active.keys()) run.cancel();
    return this.active.size;
  }

  dispose(): void {
    this.stopAll();
  }
}

/** The options the search really runs with: the settings where set, the scenario's bounds otherwise. */
export function effectiveOptions({ loaded, kernel, settings }: RunSpec): WorkerCheckOptions {
  const bounds = loaded.scenario.bounds;
  return {
    kernel,
    strategy: settings.strategy,
    seed: settings.seed,
    workers: settings.workers,
    maxMemoryMb: settings.maxMemoryMb,
    maxStates: settings.maxStates ?? bounds.maxStates,
    maxDepth: settings.maxDepth ?? bounds.maxDepth,
    timeoutMs: settings.timeoutMs ?? bounds.timeoutMs,
  };
}

const count = (n: number): string => n.toLocaleString('en-US');

function progressText(stats: SearchStats): string {
  const seconds = stats.ms / 1000;
  const rate = seconds > 0 ? ` · ${count(Math.round(stats.states / seconds))} states/s` : '';
  return `${count(stats.states)} states · ${count(stats.transitions)} transitions · depth ${stats.maxDepth} · ${seconds.toFixed(1)} s${rate}`;
}

export function resultText(result: CheckResult | undefined): string {
  if (!result) return 'stopped (the worker was terminated before it answered)';
  const stats = `${count(result.stats.states)} states, ${count(result.stats.transitions)} transitions, depth ${result.stats.maxDepth}, ${result.stats.ms} ms`;
  switch (result.verdict) {
    case 'violation':
      return `violation: ${result.property}: ${result.message} (${stats}; ${result.trace?.steps.length ?? 0} steps, schedule ${result.schedule ?? '-'})`;
    case 'verified':
      // What the verdict covers: every interleaving within the depth bound, not only those a sample saw.
      return `verified: no interleaving up to depth ${result.limits.maxDepth} breaks a property (exhaustive ${result.strategy} search: ${stats})`;
    case 'bounded':
      return `stopped at the ${result.bound} bound before deciding (${stats})`;
  }
}
