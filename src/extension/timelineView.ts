/**
 * The host side of one timeline webview, whether it lives in the Swap Race panel or in a trace-file editor:
 * sets up the page, waits for the webview's `ready`, then sends what it shows (a trace, a file's errors, or
 * a busy note), answers state requests, and carries out the toolbar's actions. Messages from the webview
 * are checked by the protocol's guards; anything else is ignored.
 */
import * as vscode from 'vscode';
import type { Trace } from '../core/trace/types';
import type { ScenarioError } from '../core/scenario/types';
import { isWebviewToHost, PROTOCOL_VERSION, type HostToWebview, type TimelineAction, type TimelineData, type WebviewToHost } from '../webview/protocol';
import { openStepSource } from './stepSources';
import { stepStates, timelineData } from './timelineData';
import { copyInterleaving, copyMarkdownSummary, copySchedule, saveTimelineSvg, saveTraceFile } from './traceExports';
import { timelineHtml, webviewOptions } from './webviewHtml';

type Content =
  /**
   * `data` is computed when the trace is first sent and kept: a hidden timeline's webview is discarded, and
   * every time it is shown again it reloads and asks for the same trace. `select` is a selection still to be
   * sent with the next load (asked for before the page was ready).
   */
  | { kind: 'trace'; trace: Trace; data?: TimelineData; select?: number }
  | { kind: 'errors'; file: string; errors: ScenarioError[] }
  | { kind: 'busy'; message: string };

export interface TimelineViewOptions {
  /** Whether the webview keeps a replayable copy of the trace for restoring after a reload (the panel). */
  restorable: boolean;
  /** Opens the shown file at a position (trace-file editors, for their error links). */
  openPosition?: (line: number, column: number) => void;
}

export class TimelineView implements vscode.Disposable {
  private content: Content = { kind: 'busy', message: 'Waiting for a trace…' };
  /** Whether the page has loaded and said `ready`; a hidden webview is discarded, and not ready until it reloads. */
  private webviewReady = false;
  private selected: number | undefined;
  private readonly selectionChanges = new vscode.EventEmitter<number>();
  private readonly disposables: vscode.Disposable[] = [this.selectionChanges];
  readonly onDidChangeSelection = this.selectionChanges.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly options: TimelineViewOptions,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = timelineHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.webviewReady = false;
      }),
    );
  }

  get trace(): Trace | undefined {
    return this.content.kind === 'trace' ? this.content.trace : undefined;
  }

  get selectedStep(): number | undefined {
    return this.selected;
  }

  showTrace(trace: Trace, select?: number): void {
    this.selected = undefined;
    this.content = { kind: 'trace', trace, ...(select !== undefined ? { select } : {}) };
    this.postContent();
  }

  showErrors(file: string, errors: ScenarioError[]): void {
    this.content = { kind: 'errors', file, errors };
    this.postContent();
  }

  showBusy(message: string): void {
    this.content = { kind: 'busy', message };
    this.postContent();
  }

  /** Moves the selection by `delta` steps (Step Forward / Step Back), staying inside the trace. */
  step(delta: number): void {
    const trace = this.trace;
    if (!trace || trace.steps.length === 0) return;
    const from = this.selected ?? (delta > 0 ? -1 : trace.steps.length);
    this.selectStep(Math.max(0, Math.min(trace.steps.length - 1, from + delta)));
  }

  selectStep(step: number): void {
    if (this.content.kind !== 'trace') return;
    if (this.webviewReady) this.post({ type: 'select', step });
    // Sent with the trace once the page is (re)loaded: a message to a page not ready yet is lost.
    else this.content.select = step;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private postContent(): void {
    if (!this.webviewReady) return;
    const content = this.content;
    switch (content.kind) {
      case 'trace': {
        content.data ??= timelineData(content.trace, { restorable: this.options.restorable });
        this.post({ type: 'load', protocol: PROTOCOL_VERSION, data: content.data, ...(content.select !== undefined ? { select: content.select } : {}) });
        // A reloaded webview restores its own selection from its state; the requested one applies once.
        delete content.select;
        break;
      }
      case 'errors':
        this.post({ type: 'errors', protocol: PROTOCOL_VERSION, file: content.file, errors: content.errors });
        break;
      case 'busy':
        this.post({ type: 'busy', protocol: PROTOCOL_VERSION, message: content.message });
        break;
    }
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    try {
      this.handle(message);
    } catch (error) {
      void vscode.window.showErrorMessage(`Swap Race timeline: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private handle(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        if (message.protocol !== PROTOCOL_VERSION) {
          void vscode.window.showWarningMessage('Swap Race: the timeline page is from another version of the extension; reload the window.');
          return;
        }
        this.webviewReady = true;
        this.postContent();
        break;
      case 'request': {
        const states = this.trace && stepStates(this.trace, message.params.step);
        if (states) this.post({ type: 'reply', requestId: message.requestId, ok: true, result: states });
        else this.post({ type: 'reply', requestId: message.requestId, ok: false, error: `there is no step ${message.params.step + 1} in this trace` });
        break;
      }
      case 'selected':
        this.selected = message.step;
        this.selectionChanges.fire(message.step);
        break;
      case 'action':
        void this.runAction(message.action, message.step);
        break;
      case 'openPosition':
        this.options.openPosition?.(message.line, message.column);
        break;
    }
  }

  private async runAction(action: TimelineAction, step: number | undefined): Promise<void> {
    const trace = this.trace;
    if (!trace) return;
    try {
      switch (action) {
        case 'saveTrace':
          await saveTraceFile(trace);
          break;
        case 'copySchedule':
          await copySchedule(trace);
          break;
        case 'copyMarkdown':
          await copyMarkdownSummary(trace);
          break;
        case 'copyInterleaving':
          await copyInterleaving(trace);
          break;
        case 'saveSvg':
          await saveTimelineSvg(trace);
          break;
        case 'openSource': {
          const index = step ?? this.selected;
          const traceStep = index !== undefined ? trace.steps[index] : undefined;
          if (traceStep) await openStepSource(traceStep, trace.kernel);
          break;
        }
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Swap Race: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
