/**
 * Where a trace's steps are in the editor, both ways: the document and line of one step (in a real kernel
 * tree when one locates its anchor, else in its annotated snippet), and the line of each step in a given
 * document. An anchor a tree lacks degrades to the snippet, and the user is told once per function.
 */
import * as vscode from 'vscode';
import { anchorLine, isFound, snippetFor, type Snippet } from '../core/source';
import type { Trace, TraceStep } from '../core/trace/types';
import { kernelTrees, treeAnchors, treeFileOf } from './kernelTrees';
import { openSourceDocument, showLine, snippetOfUri, snippetUri } from './sourceDocuments';

export interface StepPlace {
  uri: vscode.Uri;
  /** 0-based; undefined when the snippet has the function but does not mark this step. */
  line?: number;
}

/** `fn@kernel` of the functions whose missing anchors the user has been told about. */
const reportedMissing = new Set<string>();

/** Where a step is shown, or undefined when neither a tree nor a snippet has its function. */
export async function stepPlace(step: TraceStep, kernel: string): Promise<StepPlace | undefined> {
  let missing: string | undefined;
  for (const root of await kernelTrees()) {
    const located = (await treeAnchors(root, kernel)).anchors[step.stepId];
    if (located && isFound(located)) return { uri: vscode.Uri.joinPath(root, ...located.file.split('/')), line: located.line };
    missing ??= located ? located.missing : `${kernel} has no step ${step.stepId}`;
  }
  if (missing !== undefined) reportMissingOnce(step.anchor.fn, kernel, missing);
  const snippet = snippetFor(step.anchor.fn, kernel);
  if (!snippet) return undefined;
  const line = snippetLine(snippet, step.stepId, step.anchor);
  return { uri: snippetUri(snippet.fn, kernel), ...(line !== undefined ? { line } : {}) };
}

/** Opens the code of a trace step beside the current editor (Open annotated source, the timeline's `S`). */
export async function openStepSource(step: TraceStep, kernel: string): Promise<vscode.TextEditor> {
  const place = await stepPlace(step, kernel);
  if (!place) throw new Error(`there is no annotated snippet of ${step.anchor.fn}() for ${kernel}`);
  return showLine(await openSourceDocument(place.uri), place.line);
}

/**
 * The line of a step id of the trace in a document: a file of a kernel tree (its anchors located for the
 * trace's version) or the snippet of that version. Undefined for any other document.
 */
export async function stepLinesOf(uri: vscode.Uri, trace: Trace): Promise<((stepId: string) => number | undefined) | undefined> {
  const snippet = snippetOfUri(uri);
  if (snippet) {
    if (snippet.kernel !== trace.kernel) return undefined;
    const anchorOf = new Map(trace.steps.map((step) => [step.stepId, step.anchor]));
    return (stepId) => snippetLine(snippet, stepId, anchorOf.get(stepId));
  }
  const file = await treeFileOf(uri);
  if (!file) return undefined;
  const { anchors } = await treeAnchors(file.root, trace.kernel);
  return (stepId) => {
    const located = anchors[stepId];
    return located && isFound(located) && located.file === file.relative ? located.line : undefined;
  };
}

/** A step's line in a snippet: by its id, else by its point when the step is in the snippet's function. */
function snippetLine(snippet: Snippet, stepId: string, anchor: TraceStep['anchor'] | undefined): number | undefined {
  return anchorLine(snippet, stepId) ?? (anchor?.fn === snippet.fn ? anchorLine(snippet, anchor.point) : undefined);
}

/** Forgets which missing anchors were reported, so a changed tree is reported afresh. */
export function clearMissingReports(): void {
  reportedMissing.clear();
}

function reportMissingOnce(fn: string, kernel: string, reason: string): void {
  const key = `${fn}@${kernel}`;
  if (reportedMissing.has(key)) return;
  reportedMissing.add(key);
  void vscode.window.showInformationMessage(`Swap Race: a step of ${fn}() (${kernel}) is not located in the kernel tree: ${reason}. Showing the annotated snippet instead.`);
}
