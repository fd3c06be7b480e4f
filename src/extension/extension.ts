/** Activation: creates the services, registers commands, editors and providers, and returns an API for tests. */
import * as vscode from 'vscode';
import type { CheckResult } from '../core';
import type { TraceFileResult } from '../core/trace/file';
import type { Trace } from '../core/trace/types';
import { SourceLensProvider } from './codeLens';
import { Commands } from './commandIds';
import { COMPARISON_SCHEME } from './comparisonDocuments';
import type { CommandRequest } from './commandArgs';
import { registerAnnotatedSourceCommand } from './commands/annotatedSource';
import { registerCompareCommand } from './commands/compare';
import { registerExploreCommand } from './commands/explore';
import { registerNewScenarioCommand } from './commands/newScenario';
import { registerRunCommands } from './commands/run';
import { registerTimelineCommands } from './commands/timeline';
import { registerTraceFileCommands } from './commands/traceFiles';
import { ContextKeys, setContext } from './contextKeys';
import { ScenarioTests, type TestOutcome } from './scenarioTests';
import { clearKernelTreeCache, watchKernelTrees } from './kernelTrees';
import { SNIPPET_SCHEME, SnippetContentProvider } from './sourceDocuments';
import { StepFollower } from './stepFollower';
import { clearMissingReports } from './stepSources';
import { logSettingProblemsTo, reportedSettingProblems } from './settings';
import { Swaprace } from './swaprace';
import { TIMELINE_PANEL_TYPE } from './timelines';
import { TRACE_EDITOR_VIEW_TYPE, TraceEditorProvider } from './traceEditor';

/** What a timeline shows, for tests. */
export interface TimelineSnapshot {
  html: string;
  trace?: Trace;
  selectedStep?: number;
}

/** The extension's API: used by the integration tests, and usable by other extensions. */
export interface SwapraceApi {
  runScenario(request?: CommandRequest): Promise<CheckResult | undefined>;
  /** The HTML of the Swap Race panel, if it is open. */
  timelineHtml(): string | undefined;
  /** The timeline commands act on (the focused one, else the panel). */
  activeTimeline(): TimelineSnapshot | undefined;
  readonly runningSearches: number;
  /** Trace files being read in workers (trace editors, a restored panel). */
  readonly traceReadsInFlight: number;
  /** The setting problems the user was warned about (bad values of `swaprace.*`), in order. */
  settingProblems(): readonly string[];
  readonly testController: vscode.TestController;
  /** Runs test items by id (all when omitted) through the Testing view's run handler. */
  runTests(ids?: readonly string[]): Promise<TestOutcome[]>;
  /** Scans the workspace's scenario files again (also done at start-up and on every change). */
  rescanScenarioFiles(): Promise<void>;
  readTraceFile(text: string, file: string): Promise<TraceFileResult | undefined>;
}

/** A changed setting or workspace: trees are read afresh, and what they lack is reported again. */
function forgetKernelTrees(): void {
  clearKernelTreeCache();
  clearMissingReports();
}

export function activate(context: vscode.ExtensionContext): SwapraceApi {
  const swaprace = new Swaprace(context);
  logSettingProblemsTo(swaprace.log);
  for (const key of Object.values(ContextKeys)) setContext(key, false);
  registerRunCommands(swaprace);
  registerCompareCommand(swaprace);
  registerTraceFileCommands(swaprace);
  registerNewScenarioCommand(swaprace);
  registerTimelineCommands(swaprace);
  registerAnnotatedSourceCommand(swaprace);
  registerExploreCommand(swaprace);
  const tests = new ScenarioTests(swaprace);
  const lenses = new SourceLensProvider(swaprace);
  context.subscriptions.push(
    watchKernelTrees(),
    tests,
    vscode.window.registerWebviewPanelSerializer(TIMELINE_PANEL_TYPE, swaprace.timelines),
    vscode.window.registerCustomEditorProvider(
      TRACE_EDITOR_VIEW_TYPE,
      new TraceEditorProvider(context.extensionUri, swaprace.timelines, swaprace.diagnostics, (text, file, cancellation) => swaprace.readTraceFile(text, file, cancellation)),
      { supportsMultipleEditorsPerDocument: true },
    ),
    vscode.workspace.registerTextDocumentContentProvider(SNIPPET_SCHEME, new SnippetContentProvider()),
    vscode.workspace.registerTextDocumentContentProvider(COMPARISON_SCHEME, swaprace.comparisons),
    vscode.languages.registerCodeLensProvider({ scheme: COMPARISON_SCHEME }, swaprace.comparisons),
    vscode.languages.registerCodeLensProvider([{ language: 'c' }, { scheme: SNIPPET_SCHEME }], lenses),
    lenses,
    new StepFollower(swaprace),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('swaprace.kernelSourcePath') && forgetKernelTrees()),
    vscode.workspace.onDidChangeWorkspaceFolders(forgetKernelTrees),
  );
  void swaprace.scenarioFiles.scan().catch((error) => swaprace.log.error(`scanning the workspace for scenario files: ${String(error)}`));

  const snapshot = (view = swaprace.timelines.active): TimelineSnapshot | undefined =>
    view && { html: view.panel.webview.html, ...(view.trace ? { trace: view.trace } : {}), ...(view.selectedStep !== undefined ? { selectedStep: view.selectedStep } : {}) };
  return {
    runScenario: (request) => Promise.resolve(vscode.commands.executeCommand<CheckResult | undefined>(Commands.runScenario, request)),
    timelineHtml: () => swaprace.timelines.panel?.panel.webview.html,
    activeTimeline: () => snapshot(),
    get runningSearches() {
      return swaprace.runs.running;
    },
    get traceReadsInFlight() {
      return swaprace.traceReadsInFlight;
    },
    settingProblems: reportedSettingProblems,
    testController: tests.controller,
    runTests: (ids) => tests.runItems(ids),
    rescanScenarioFiles: () => swaprace.scenarioFiles.scan(),
    readTraceFile: (text, file) => swaprace.readTraceFile(text, file),
  };
}
