/**
 * Our annotated snippets as read-only `swaprace-snippet:` documents (language C), and opening a source
 * document at a line. Snippet URIs are `swaprace-snippet:/<kernel>/<function>.c`.
 */
import * as vscode from 'vscode';
import { anchorLine, snippetFor, type Snippet } from '../core/source';

export const SNIPPET_SCHEME = 'swaprace-snippet';

export function snippetUri(fn: string, kernel: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SNIPPET_SCHEME, path: `/${kernel}/${fn}.c` });
}

/** The snippet a `swaprace-snippet:` URI names, if it names one. */
export function snippetOfUri(uri: vscode.Uri): Snippet | undefined {
  if (uri.scheme !== SNIPPET_SCHEME) return undefined;
  const match = /^\/([^/]+)\/([^/]+)\.c$/.exec(uri.path);
  return match ? snippetFor(match[2], match[1]) : undefined;
}

/** Serves snippet documents; a URI that names no snippet gets a comment saying so, not an error. */
export class SnippetContentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const snippet = snippetOfUri(uri);
    return snippet ? snippet.text + '\n' : `/* swaprace: no annotated snippet at ${uri.path.replace(/\*\//g, '* /')} */\n`;
  }
}

/** Opens a source document; a snippet opens as C (a content provider's documents start as plain text). */
export async function openSourceDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  return uri.scheme === SNIPPET_SCHEME && document.languageId !== 'c' ? vscode.languages.setTextDocumentLanguage(document, 'c') : document;
}

/** Opens the snippet of `fn` for `kernel`, with the cursor on the first of `anchors` (step ids or points) it has. */
export async function openSnippet(fn: string, kernel: string, anchors: readonly string[] = []): Promise<vscode.TextEditor> {
  const snippet = snippetFor(fn, kernel);
  if (!snippet) throw new Error(`there is no annotated snippet of ${fn}() for ${kernel}`);
  const line = anchors.map((anchor) => anchorLine(snippet, anchor)).find((found) => found !== undefined);
  return showLine(await openSourceDocument(snippetUri(fn, kernel)), line);
}

/** Shows a document beside the current editor with the cursor on `line` (the top without one). */
export async function showLine(document: vscode.TextDocument, line: number | undefined): Promise<vscode.TextEditor> {
  const position = new vscode.Position(Math.min(line ?? 0, document.lineCount - 1), 0);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, selection: new vscode.Range(position, position) });
  editor.revealRange(document.lineAt(position.line).range, vscode.TextEditorRevealType.InCenter);
  return editor;
}
