/**
 * Hosts the timeline webview: one panel, reused for each new trace. The webview announces
 * `ready` after its script runs (again after every reload), and only then gets the trace.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { Trace } from '../core/trace/types';
import { isWebviewToHost, PROTOCOL_VERSION, type HostToWebview } from '../webview/protocol';

export class TimelinePanel {
  private static current: TimelinePanel | undefined;

  static show(extensionUri: vscode.Uri, trace: Trace): void {
    if (!TimelinePanel.current) TimelinePanel.current = new TimelinePanel(extensionUri);
    TimelinePanel.current.setTrace(trace);
  }

  /** The open panel, if any (tests inspect its HTML). */
  static get active(): TimelinePanel | undefined {
    return TimelinePanel.current;
  }

  readonly panel: vscode.WebviewPanel;
  private trace: Trace | undefined;
  private webviewReady = false;

  private constructor(private readonly extensionUri: vscode.Uri) {
    this.panel = vscode.window.createWebviewPanel('swaprace.timeline', 'Swap Race Timeline', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    this.panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message));
    this.panel.onDidDispose(() => {
      TimelinePanel.current = undefined;
    });
    this.panel.webview.html = this.html();
  }

  private setTrace(trace: Trace): void {
    this.trace = trace;
    this.panel.title = `Swap Race: ${trace.scenario.id} on ${trace.kernel}`;
    this.panel.reveal();
    if (this.webviewReady) this.postTrace();
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) return;
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.postTrace();
        break;
      case 'selectStep': {
        const step = this.trace?.steps[message.index];
        if (step) vscode.window.setStatusBarMessage(`Swap Race: step ${message.index + 1} at ${step.anchor.fn} (${step.anchor.point})`, 5000);
        break;
      }
    }
  }

  private postTrace(): void {
    if (!this.trace) return;
    const message: HostToWebview = { type: 'showTrace', version: PROTOCOL_VERSION, trace: this.trace };
    void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'timeline.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Swap Race Timeline</title>
</head>
<body>
<header>
<h1 id="title">Swap Race Timeline</h1>
<p id="verdict" class="verdict">Waiting for a trace...</p>
<p id="schedule"></p>
</header>
<div id="timeline" class="timeline" aria-label="Steps by thread"></div>
<section id="state" aria-live="polite"></section>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
