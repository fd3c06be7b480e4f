/**
 * All open timelines: the Swap Race panel (one, reused for each new trace and restored after a window reload
 * by a WebviewPanelSerializer) and the trace-file editors. The one focused last is the one Save Trace, Step
 * Forward and Step Back act on; context keys tell the palette which of those apply.
 */
import * as vscode from 'vscode';
import type { Trace } from '../core/trace/types';
import { asPersistedViewState } from '../webview/protocol';
import { ContextKeys, setContext } from './contextKeys';
import { TimelineView } from './timelineView';

export const TIMELINE_PANEL_TYPE = 'swaprace.timeline';

/**
 * Reads the trace a restored panel kept; done off the main thread since the state is, in effect, a file.
 * `cancellation` fires when the panel is closed first: the read's worker has nothing left to answer.
 */
export type TraceRestorer = (restore: string, cancellation: vscode.CancellationToken) => Promise<{ ok: true; trace: Trace } | { ok: false; message: string }>;

export class Timelines implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panelView: TimelineView | undefined;
  private lastFocused: TimelineView | undefined;
  private lastPanelTrace: Trace | undefined;
  private readonly views = new Set<TimelineView>();
  private readonly activeChanges = new vscode.EventEmitter<void>();
  /** The timeline commands act on changed, or its trace or selected step did (CodeLens and the source follow it). */
  readonly onDidChangeActive = this.activeChanges.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly restoreTrace: TraceRestorer,
  ) {}

  /** The timeline commands act on: the focused one, else the panel. */
  get active(): TimelineView | undefined {
    return this.lastFocused ?? this.panelView;
  }

  get panel(): TimelineView | undefined {
    return this.panelView;
  }

  /** The trace Save Trace and Show Timeline use, even after the panel was closed. */
  get currentTrace(): Trace | undefined {
    return this.active?.trace ?? this.lastPanelTrace;
  }

  /** Shows a trace in the panel, creating it (beside the editor) if it is closed. */
  showInPanel(trace: Trace, select?: number): TimelineView {
    this.lastPanelTrace = trace;
    if (!this.panelView) {
      // Beside the editor the user works in, if any, so the scenario or source stays in view.
      const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      const panel = vscode.window.createWebviewPanel(TIMELINE_PANEL_TYPE, 'Swap Race Timeline', { viewColumn, preserveFocus: false }, { enableScripts: true });
      this.panelView = this.track(new TimelineView(panel, this.extensionUri, { restorable: true }), true);
    }
    this.panelView.panel.title = `Swap Race: ${trace.scenario.id} on ${trace.kernel}`;
    this.panelView.showTrace(trace, select);
    this.panelView.panel.reveal(undefined, false);
    this.lastFocused = this.panelView;
    this.updateContext();
    this.activeChanges.fire();
    return this.panelView;
  }

  /** Reopens the panel with the last trace it showed, if there was one. */
  reopenPanel(): boolean {
    if (this.panelView) {
      this.panelView.panel.reveal();
      return true;
    }
    if (!this.lastPanelTrace) return false;
    this.showInPanel(this.lastPanelTrace);
    return true;
  }

  /** A timeline in a trace-file editor. */
  adopt(view: TimelineView): TimelineView {
    return this.track(view, false);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panelView) {
      // Only one panel is managed; a second restored one is closed rather than left orphaned.
      panel.dispose();
      return;
    }
    const view = new TimelineView(panel, this.extensionUri, { restorable: true });
    this.panelView = this.track(view, true);
    const saved = asPersistedViewState(state);
    if (!saved?.restore) {
      view.showBusy('Run a scenario to see its timeline here.');
      return;
    }
    view.showBusy('Replaying the trace…');
    const cancellation = new vscode.CancellationTokenSource();
    const closed = panel.onDidDispose(() => cancellation.cancel());
    let restored: Awaited<ReturnType<TraceRestorer>>;
    try {
      restored = await this.restoreTrace(saved.restore, cancellation.token);
    } catch (error) {
      restored = { ok: false, message: error instanceof Error ? error.message : String(error) };
    } finally {
      closed.dispose();
      cancellation.dispose();
    }
    // The panel was closed meanwhile, or a run showed a newer trace in it.
    if (this.panelView !== view || view.trace) return;
    if (!restored.ok) {
      view.showBusy(`The trace of this panel could not be restored: ${restored.message}`);
      return;
    }
    this.lastPanelTrace = restored.trace;
    panel.title = `Swap Race: ${restored.trace.scenario.id} on ${restored.trace.kernel}`;
    view.showTrace(restored.trace, saved.selected);
    this.updateContext();
    this.activeChanges.fire();
  }

  dispose(): void {
    for (const view of this.views) view.panel.dispose();
    this.activeChanges.dispose();
  }

  private track(view: TimelineView, isPanel: boolean): TimelineView {
    this.views.add(view);
    view.panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) this.focus(view);
      this.updateContext();
    });
    view.onDidChangeSelection(() => view === this.active && this.activeChanges.fire());
    view.panel.onDidDispose(() => {
      const wasActive = view === this.active;
      this.views.delete(view);
      view.dispose();
      if (this.lastFocused === view) this.lastFocused = undefined;
      if (isPanel && this.panelView === view) this.panelView = undefined;
      this.updateContext();
      if (wasActive) this.activeChanges.fire();
    });
    if (view.panel.active) this.focus(view);
    this.updateContext();
    return view;
  }

  private focus(view: TimelineView): void {
    if (this.lastFocused === view) return;
    const previous = this.active;
    this.lastFocused = view;
    if (previous !== view) this.activeChanges.fire();
  }

  private updateContext(): void {
    const focused = [...this.views].some((view) => view.panel.active && view.trace);
    setContext(ContextKeys.timelineFocused, focused);
    setContext(ContextKeys.hasTrace, this.currentTrace !== undefined);
    setContext(ContextKeys.timelineHasTrace, this.active?.trace !== undefined);
  }

  /** Call after a view's content changed (a trace-file editor finished reading its file). */
  refreshContext(): void {
    this.updateContext();
  }
}
