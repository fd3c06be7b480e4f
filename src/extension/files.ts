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

/** A save dialog offering `fileName` in the first workspace folder. */
export function askForTarget(fileName: string, filters: Record<string, string[]>, title: string): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({ title, filters, ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}) });
}
