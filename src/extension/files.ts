/** File-system questions the extension asks through VS Code's file system (so remote workspaces work too). */
import * as vscode from 'vscode';

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The editor's document of a file, if one is open: its text, unsaved edits included, is the file's as the user sees it. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
}

/** A save dialog offering `fileName` in the first workspace folder. */
export function askForTarget(fileName: string, filters: Record<string, string[]>, title: string): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({ title, filters, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}) });
}

/**
 * `uri` with its file name ending in `suffix` (`.swaprace.json`), which editors and watchers recognise files
 * by, once: a bare name gets all of it, a name ending in a part of it (`.swaprace`, `.json`) the rest.
 */
export function withFileSuffix(uri: vscode.Uri, suffix: string): vscode.Uri {
  // A save dialog that takes the filter's extension for `.json` alone may append the whole suffix again.
  if (uri.path.endsWith(suffix + suffix)) return withFileSuffix(uri.with({ path: uri.path.slice(0, -suffix.length) }), suffix);
  if (uri.path.endsWith(suffix)) return uri;
  const extension = suffix.slice(suffix.lastIndexOf('.'));
  const kind = suffix.slice(0, -extension.length);
  let stem = uri.path.endsWith(extension) ? uri.path.slice(0, -extension.length) : uri.path;
  if (stem.endsWith(kind)) stem = stem.slice(0, -kind.length);
  return uri.with({ path: `${stem}${suffix}` });
}
