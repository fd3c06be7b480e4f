/**
 * `*.swaptrace.json` files open in this editor, which shows their timeline. It is a text editor underneath
 * (CustomTextEditorProvider): VS Code keeps the document, its undo and its unsaved edits; this view never
 * writes to it. A trace file is untrusted: it is read and replayed in a worker, a malformed or hostile one
 * shows its positioned errors (also in the Problems panel), and an edit in a text editor beside it updates
 * the timeline.
 */
import * as vscode from 'vscode';
import type { TraceFileResult } from '../core/trace/file';
import type { SwapraceDiagnostics } from './diagnostics';
import type { Timelines } from './timelines';
import { TimelineView } from './timelineView';

export const TRACE_EDITOR_VIEW_TYPE = 'swaprace.traceEditor';
const EDIT_DEBOUNCE_MS = 400;

/** Reads a trace file's text off the main thread; undefined when it was stopped (by `cancellation`). */
export type TraceFileReader = (text: string, file: string, cancellation: vscode.CancellationToken) => Promise<TraceFileResult | undefined>;

export class TraceEditorProvider implements vscode.CustomTextEditorProvider {
  /** Open trace editors per document: the same file may be open in several (a split), which all show its Problems. */
  private readonly editorsOf = new Map<string, number>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly timelines: Timelines,
    private readonly diagnostics: SwapraceDiagnostics,
    private readonly readTraceFile: TraceFileReader,
  ) {}

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const view = this.timelines.adopt(
      new TimelineView(panel, this.extensionUri, {
        restorable: false,
        openPosition: (line, column) => void openTextAt(document, line, column),
      }),
    );
    const file = vscode.workspace.asRelativePath(document.uri);
    const key = document.uri.toString();
    this.editorsOf.set(key, (this.editorsOf.get(key) ?? 0) + 1);
    let generation = 0;
    let shownOnce = false;
    let reading: vscode.CancellationTokenSource | undefined;
    // A newer text, or a closed editor, has no use for the answer of an older read: its worker is stopped
    // (the read disposes of its own cancellation when it ends).
    const stopReading = (): void => {
      reading?.cancel();
      reading = undefined;
    };
    const refresh = async (): Promise<void> => {
      const mine = ++generation;
      stopReading();
      const cancellation = (reading = new vscode.CancellationTokenSource());
      if (!shownOnce) view.showBusy(`Reading and replaying ${file}…`);
      const text = document.getText();
      let result: TraceFileResult | undefined;
      try {
        result = await this.readTraceFile(text, file, cancellation.token);
      } catch (error) {
        const message = `could not read the trace: ${error instanceof Error ? error.message : String(error)}`;
        result = { ok: false, errors: [{ file, line: 1, column: 1, field: '(root)', message }] };
      } finally {
        if (reading === cancellation) reading = undefined;
        cancellation.dispose();
      }
      // The editor was closed (its webview is gone), or an edit made meanwhile has a newer answer on the way.
      if (mine !== generation || !result) return;
      shownOnce = true;
      if (result.ok) {
        view.showTrace(result.trace);
        this.diagnostics.clear(document.uri);
      } else {
        view.showErrors(file, result.errors);
        this.diagnostics.setParseErrors(document.uri, text, result.errors);
      }
      this.timelines.refreshContext();
    };
    let pending: NodeJS.Timeout | undefined;
    const changes = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() !== document.uri.toString() || event.contentChanges.length === 0) return;
      clearTimeout(pending);
      pending = setTimeout(() => void refresh(), EDIT_DEBOUNCE_MS);
    });
    panel.onDidDispose(() => {
      // No read answers into the gone webview.
      generation++;
      stopReading();
      clearTimeout(pending);
      changes.dispose();
      const left = this.editorsOf.get(key)! - 1;
      if (left > 0) {
        this.editorsOf.set(key, left);
        return;
      }
      this.editorsOf.delete(key);
      this.diagnostics.clear(document.uri);
    });
    await refresh();
  }
}

async function openTextAt(document: vscode.TextDocument, line: number, column: number): Promise<void> {
  const position = document.validatePosition(new vscode.Position(line - 1, column - 1));
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position) });
}
