/**
 * The timeline page: static markup only (every piece of data arrives later by message and is set as text),
 * a strict Content Security Policy with a fresh nonce for the one bundled script, and asset URLs through
 * `asWebviewUri` from the extension's own `dist/` and `media/` folders.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function timelineHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'timeline.css'));
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
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
<p id="busy" class="busy">Waiting for a trace…</p>
<section id="errors" class="errors" hidden></section>
<main id="view" hidden>
<header class="summary">
<div class="title-row">
<div class="title"><h1 id="title"></h1><span id="verdict" class="verdict"></span></div>
<div class="toolbar" role="toolbar" aria-label="Export">
<button type="button" data-action="saveTrace" title="Save the trace as a .swaptrace.json file">Save Trace…</button>
<button type="button" data-action="copySchedule" title="Copy the printable schedule">Copy Schedule</button>
<button type="button" data-action="copyMarkdown" title="Copy a Markdown summary for a bug report">Copy Markdown</button>
<button type="button" data-action="copyInterleaving" title="Copy the plain-text interleaving diagram (72 columns: a column per thread, or a list with five threads or more) for a commit message or a mail">Copy Interleaving</button>
<button type="button" data-action="saveSvg" title="Save the timeline as an SVG image">Save SVG…</button>
</div></div>
<p id="schedule" class="schedule"></p>
</header>
<section id="explanation" class="explanation" aria-label="What happened" hidden></section>
<div id="lane-pane" class="lane-pane">
<div class="controls">
<label>Thread <select id="thread-filter" aria-label="Show the steps of one thread"></select></label>
<label>Object <select id="object-filter" aria-label="Show the steps that touch one object"></select></label>
<span class="zoom"><button type="button" id="zoom-out" aria-label="Zoom out" title="Zoom out (-)">−</button><button type="button" id="zoom-in" aria-label="Zoom in" title="Zoom in (+)">+</button></span>
<span id="position" class="position" aria-live="polite"></span>
</div>
<div id="lanes" class="lanes" tabindex="0" role="region" aria-label="Steps by thread and object"></div>
</div>
<p class="legend" aria-label="Legend"><span class="touch read">R</span> reads and <span class="touch write">W</span> writes the object of its row · <span class="touch write conflict">W</span> in a conflict: another thread's step touches the object too, and one of them writes · <span class="legend-related">dashed</span>: the steps in conflict with the selected one · <span class="legend-violation">red</span>: the violating step</p>
<p class="keys">←/→ step · Home/End · +/−/0 zoom · T/O filter · S source</p>
<section id="details" class="details" aria-live="polite"></section>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
