/**
 * The editor follows the timeline: when the active timeline's selected step changes, its line is revealed,
 * selected and highlighted in a visible source editor (a kernel tree's file or a snippet document), replacing
 * that editor's document when the step is in another one. Focus stays where it is, usually the timeline.
 * Without a visible source editor nothing opens: `S` / Open annotated source opens one.
 */
import * as vscode from 'vscode';
import { treeFileOf } from './kernelTrees';
import { openSourceDocument, SNIPPET_SCHEME } from './sourceDocuments';
import { stepPlace } from './stepSources';
import type { Swaprace } from './swaprace';

export class StepFollower implements vscode.Disposable {
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    borderColor: new vscode.ThemeColor('focusBorder'),
    borderStyle: 'solid',
    borderWidth: '1px 0',
    overviewRulerColor: new vscode.ThemeColor('focusBorder'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  private readonly disposables: vscode.Disposable[];
  /** Each follow bumps it, so a slower, older one does not overwrite a newer selection. */
  private generation = 0;

  constructor(private readonly swaprace: Swaprace) {
    this.disposables = [this.highlight, swaprace.timelines.onDidChangeActive(() => void this.follow())];
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async follow(): Promise<void> {
    const generation = ++this.generation;
    try {
      const timeline = this.swaprace.timelines.active;
      const trace = timeline?.trace;
      const step = trace && timeline.selectedStep !== undefined ? trace.steps[timeline.selectedStep] : undefined;
      const editors = await sourceEditors();
      // Only with an editor to show it in: placing a step reports an anchor the tree lacks, and that notice
      // (given once per function) must come when the snippet is actually shown instead.
      const place = editors.length > 0 && trace && step ? await stepPlace(step, trace.kernel) : undefined;
      if (generation !== this.generation) return;
      for (const editor of editors) editor.setDecorations(this.highlight, []);
      if (!place || place.line === undefined) return;
      const editor =
        editors.find((candidate) => candidate.document.uri.toString() === place.uri.toString()) ??
        (await vscode.window.showTextDocument(await openSourceDocument(place.uri), { viewColumn: editors[0].viewColumn, preserveFocus: true, preview: true }));
      if (generation !== this.generation) return;
      const line = Math.min(place.line, editor.document.lineCount - 1);
      const start = new vscode.Position(line, 0);
      editor.selection = new vscode.Selection(start, start);
      editor.revealRange(editor.document.lineAt(line).range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      editor.setDecorations(this.highlight, [editor.document.lineAt(line).range]);
    } catch (error) {
      this.swaprace.log.error(`showing the selected step's source: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

/** The visible editors showing a snippet or a kernel tree's file. */
async function sourceEditors(): Promise<vscode.TextEditor[]> {
  const editors: vscode.TextEditor[] = [];
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document.uri.scheme === SNIPPET_SCHEME || (await treeFileOf(editor.document.uri))) editors.push(editor);
  }
  return editors;
}
