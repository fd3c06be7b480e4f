/**
 * The results of Compare Kernel Versions as read-only Markdown documents (`swaprace-comparison:` URIs): the table
 * `swaprace compare` prints, opened beside the editor, where it stays to be read and copied. A CodeLens on the row
 * of each version with a counterexample shows that counterexample's timeline.
 */
import * as vscode from 'vscode';
import type { Scenario } from '../core/scenario/types';
import type { KernelComparison } from '../core/search/comparison';
import { comparisonReport, type ComparisonReport } from '../core/search/comparisonReport';
import type { Trace } from '../core/trace/types';
import { Commands } from './commandIds';

export const COMPARISON_SCHEME = 'swaprace-comparison';

interface ShownComparison {
  comparisons: readonly KernelComparison[];
  report: ComparisonReport;
}

export class ComparisonDocuments implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly shown = new Map<string, ShownComparison>();
  private readonly closing: vscode.Disposable;
  private count = 0;

  constructor() {
    // A closed comparison's traces are let go; the document then says how to get it back.
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => this.shown.delete(document.uri.toString()));
  }

  /** Opens a new document with the report of `comparisons` beside the active editor. */
  async show(scenario: Pick<Scenario, 'id' | 'title'>, comparisons: readonly KernelComparison[], notRun: readonly string[]): Promise<vscode.TextEditor> {
    // Each comparison gets its own document, so that one made with other settings stays beside it; the `.md` makes it Markdown.
    const uri = vscode.Uri.from({ scheme: COMPARISON_SCHEME, path: `/${++this.count}/${scenario.id} across kernel versions.md` });
    this.shown.set(uri.toString(), { comparisons, report: comparisonReport(scenario, comparisons, notRun) });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  /** The counterexample of `kernel` in the comparison shown as `uri`, while that document is open. */
  counterexample(uri: string, kernel: string): Trace | undefined {
    return this.shown.get(uri)?.comparisons.find((c) => c.kernel === kernel)?.result?.trace;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.shown.get(uri.toString())?.report.text ?? 'This comparison was closed. Run Swap Race: Compare Kernel Versions... again to see it.\n';
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const shown = this.shown.get(document.uri.toString());
    if (!shown) return [];
    return shown.comparisons.flatMap(({ kernel, result }, i) => {
      if (!result?.trace) return [];
      const line = shown.report.rowLines[i];
      const command = { title: `Show the counterexample of ${kernel} in the timeline`, command: Commands.showComparedCounterexample, arguments: [document.uri.toString(), kernel] };
      return [new vscode.CodeLens(new vscode.Range(line, 0, line, 0), command)];
    });
  }

  dispose(): void {
    this.closing.dispose();
    this.shown.clear();
  }
}
