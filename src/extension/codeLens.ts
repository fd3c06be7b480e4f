/**
 * CodeLens in C sources (a kernel tree's files, snippet documents, any C file): above each modelled function,
 * "Explore N scenarios through <fn> on <kernel>"; and, with a trace in the active timeline, on each line one
 * of its steps anchors to, a lens per step there that selects it in the timeline.
 */
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../core';
import { findFunctionDefinitions, snippetFunctions, stepsByLine, type StepAtLine } from '../core/source';
import { Commands } from './commandIds';
import { scenarioSourcesThrough, type ExploreRequest } from './commands/explore';
import { onDidChangeKernelTree, treeFileOf, treeKernel } from './kernelTrees';
import { defaultKernelSetting } from './settings';
import { snippetOfUri } from './sourceDocuments';
import { stepLinesOf } from './stepSources';
import type { Swaprace } from './swaprace';

/** More steps than this on one line (a loop) are summed up in one lens, so the line stays readable. */
const MAX_STEP_LENSES_PER_LINE = 5;

export class SourceLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changes.event;

  constructor(private readonly swaprace: Swaprace) {
    const refresh = () => this.changes.fire();
    this.disposables = [
      this.changes,
      swaprace.timelines.onDidChangeActive(refresh),
      swaprace.scenarioFiles.onDidChange(refresh),
      vscode.workspace.onDidChangeWorkspaceFolders(refresh),
      onDidChangeKernelTree(refresh),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('swaprace.kernelSourcePath') || event.affectsConfiguration('swaprace.defaultKernel')) refresh();
      }),
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    try {
      return [...this.functionLenses(document, await this.kernelOf(document.uri)), ...(await this.stepLenses(document))];
    } catch (error) {
      // A lens is never worth an error dialog: log it and show none.
      this.swaprace.log.error(`CodeLens for ${document.uri.toString()}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** A snippet's own version; a tree's by its Makefile; else the setting, else the newest modelled one. */
  private async kernelOf(uri: vscode.Uri): Promise<string> {
    const snippet = snippetOfUri(uri);
    if (snippet) return snippet.kernel;
    const file = await treeFileOf(uri);
    const fromTree = file && (await treeKernel(file.root));
    return fromTree ?? defaultKernelSetting() ?? KERNEL_IDS[KERNEL_IDS.length - 1];
  }

  private functionLenses(document: vscode.TextDocument, kernel: string): vscode.CodeLens[] {
    return findFunctionDefinitions(document.getText(), snippetFunctions()).map(({ name: fn, line }) => {
      const count = scenarioSourcesThrough(this.swaprace, fn, kernel).length;
      const request: ExploreRequest = { fn, kernel };
      const command: vscode.Command =
        count === 0
          ? { title: `No scenario runs ${fn} on ${kernel}`, command: '' }
          : {
              title: `Explore ${count} scenario${count === 1 ? '' : 's'} through ${fn} on ${kernel}`,
              tooltip: `Pick one of the scenarios whose threads run ${fn}() on ${kernel}, and run it`,
              command: Commands.exploreFunction,
              arguments: [request],
            };
      return new vscode.CodeLens(document.lineAt(line).range, command);
    });
  }

  private async stepLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const timeline = this.swaprace.timelines.active;
    const trace = timeline?.trace;
    if (!trace) return [];
    const lineOf = await stepLinesOf(document.uri, trace);
    if (!lineOf) return [];
    const selected = timeline.selectedStep;
    const lenses: vscode.CodeLens[] = [];
    for (const [line, steps] of stepsByLine(trace, lineOf)) {
      if (line >= document.lineCount) continue;
      const range = document.lineAt(line).range;
      // The selected and the violating step are always shown, however many steps share the line.
      const shown = steps.filter((step, i) => i < MAX_STEP_LENSES_PER_LINE || step.step === selected || step.violating);
      for (const step of shown) lenses.push(new vscode.CodeLens(range, stepCommand(step, step.step === selected)));
      if (shown.length < steps.length) lenses.push(new vscode.CodeLens(range, { title: `+${steps.length - shown.length} more steps here`, command: '' }));
    }
    return lenses;
  }
}

function stepCommand(step: StepAtLine, selected: boolean): vscode.Command {
  const marks = `${selected ? '$(arrow-right) ' : ''}${step.violating ? '$(error) ' : ''}`;
  return {
    title: `${marks}${step.title}${step.violating ? ' (violation)' : ''}`,
    tooltip: selected ? 'The step selected in the timeline' : 'Select this step in the timeline',
    command: Commands.selectStep,
    arguments: [step.step],
  };
}
