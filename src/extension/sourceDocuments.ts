/**
 * Where a step's code is shown: our annotated snippets as read-only `swaprace-snippet:` documents (language
 * C), or, when `swaprace.kernelSourcePath` names a kernel checkout, the same anchor in the real file.
 * Snippet URIs are `swaprace-snippet:/<kernel>/<function>.c`.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { isFound, KERNEL_SOURCE_FILES, locateAnchors, snippetFor, anchorLine, type Located } from '../core/source';
import type { TraceStep } from '../core/trace/types';
import { kernelSourcePathSetting } from './settings';

export const SNIPPET_SCHEME = 'swaprace-snippet';

function snippetUri(fn: string, kernel: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SNIPPET_SCHEME, path: `/${kernel}/${fn}.c` });
}

/** Serves snippet documents; a URI that names no snippet gets a comment saying so, not an error. */
export class SnippetContentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const match = /^\/([^/]+)\/([^/]+)\.c$/.exec(uri.path);
    const snippet = match ? snippetFor(match[2], match[1]) : undefined;
    return snippet ? snippet.text + '\n' : `/* swaprace: no annotated snippet at ${uri.path.replace(/\*\//g, '* /')} */\n`;
  }
}

/** Opens the snippet of `fn` for `kernel`, with the cursor on `anchor` (a step id or a point) if it has one. */
export async function openSnippet(fn: string, kernel: string, anchors: readonly string[] = []): Promise<vscode.TextEditor> {
  const snippet = snippetFor(fn, kernel);
  if (!snippet) throw new Error(`there is no annotated snippet of ${fn}() for ${kernel}`);
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(snippetUri(fn, kernel)), 'c');
  const line = anchors.map((anchor) => anchorLine(snippet, anchor)).find((found) => found !== undefined);
  return showAt(document, line);
}

/**
 * Opens the code of a trace step: in the real kernel tree when the setting points at one and the anchor is
 * found there, otherwise in the annotated snippet.
 */
export async function openStepSource(step: TraceStep, kernel: string): Promise<vscode.TextEditor> {
  const tree = kernelSourcePathSetting();
  if (tree) {
    const located = (await treeAnchors(tree, kernel))[step.stepId];
    if (located && isFound(located)) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(tree, located.file)));
      return showAt(document, located.line);
    }
  }
  return openSnippet(step.anchor.fn, kernel, [step.stepId, step.anchor.point]);
}

async function showAt(document: vscode.TextDocument, line: number | undefined): Promise<vscode.TextEditor> {
  const position = new vscode.Position(Math.min(line ?? 0, document.lineCount - 1), 0);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, selection: new vscode.Range(position, position) });
  editor.revealRange(document.lineAt(position.line).range, vscode.TextEditorRevealType.InCenter);
  return editor;
}

/** Anchors located in a kernel tree, per tree and kernel; a tree is read once per session. */
const treeCache = new Map<string, Promise<Record<string, Located>>>();

function treeAnchors(root: string, kernel: string): Promise<Record<string, Located>> {
  const key = `${root}\0${kernel}`;
  let anchors = treeCache.get(key);
  if (!anchors) {
    anchors = readTree(root).then((files) => locateAnchors(files, kernel));
    treeCache.set(key, anchors);
  }
  return anchors;
}

async function readTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  await Promise.all(
    KERNEL_SOURCE_FILES.map(async (relative) => {
      try {
        files[relative] = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(root, relative))));
      } catch {
        // A tree without this file simply has no anchors in it.
      }
    }),
  );
  return files;
}

/** Forget located anchors when the setting changes, so a new checkout is read afresh. */
export function clearKernelTreeCache(): void {
  treeCache.clear();
}
