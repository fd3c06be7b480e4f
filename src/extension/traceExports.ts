/**
 * Getting a trace out of the editor: as a trace file, as the printable schedule, as a Markdown summary for a
 * bug report, as the plain-text interleaving of a commit message, or as an SVG picture of the timeline.
 * Shared by the palette commands and the webview toolbar.
 */
import * as vscode from 'vscode';
import { exportTrace } from '../core/trace/export';
import { askForTarget, fileExists, withFileSuffix } from './files';
import { serializeTrace, TRACE_FILE_SUFFIX } from '../core/trace/file';
import type { Trace } from '../core/trace/types';
import { timelineSvg } from './timelineSvg';

/** Asks where to save, then writes the trace file; resolves to the file, or undefined when the user cancels. */
export async function saveTraceFile(trace: Trace, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const chosen = target ?? (await askForTarget(`${baseName(trace)}${TRACE_FILE_SUFFIX}`, { 'Swap Race traces (*.swaptrace.json)': ['json'] }, 'Save Trace'));
  if (!chosen) return undefined;
  // The trace editor opens files by their suffix. The dialog asked before replacing the name chosen, not this one.
  const uri = withFileSuffix(chosen, TRACE_FILE_SUFFIX);
  if (uri.toString() !== chosen.toString() && (await fileExists(uri))) {
    throw new Error(`${vscode.workspace.asRelativePath(uri)} already exists; to replace it, choose it by its whole name`);
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(serializeTrace(trace)));
  void vscode.window.showInformationMessage(`Swap Race: trace saved to ${vscode.workspace.asRelativePath(uri)}.`);
  return uri;
}

export async function saveTimelineSvg(trace: Trace): Promise<vscode.Uri | undefined> {
  const uri = await askForTarget(`${baseName(trace)}.svg`, { 'SVG images': ['svg'] }, 'Save Timeline as SVG');
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(timelineSvg(trace)));
  void vscode.window.showInformationMessage(`Swap Race: timeline saved to ${vscode.workspace.asRelativePath(uri)}.`);
  return uri;
}

export async function copySchedule(trace: Trace): Promise<void> {
  await vscode.env.clipboard.writeText(trace.schedule);
  void vscode.window.showInformationMessage(`Swap Race: schedule ${abbreviate(trace.schedule)} copied (Replay Schedule... runs it again).`);
}

export async function copyMarkdownSummary(trace: Trace): Promise<void> {
  await vscode.env.clipboard.writeText(exportTrace(trace, 'markdown'));
  void vscode.window.showInformationMessage('Swap Race: Markdown summary of the trace copied, ready for a bug report.');
}

export async function copyInterleaving(trace: Trace): Promise<void> {
  await vscode.env.clipboard.writeText(exportTrace(trace, 'interleaving'));
  void vscode.window.showInformationMessage('Swap Race: interleaving diagram copied, ready for a commit message or a mail.');
}

function baseName(trace: Trace): string {
  return `${trace.scenario.id}-${trace.kernel}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text || '(empty)';
}

