/** Shared by the integration tests: the extension's API, polling, and scratch files. */
import assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SwapraceApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'swaprace.swaprace';
/** A search of a built-in scenario takes about a second; the workbench may be busy starting up. */
export const CHECK_TIMEOUT_MS = 120000;

export async function swapraceApi(): Promise<SwapraceApi> {
  const extension = vscode.extensions.getExtension<SwapraceApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function workspaceFolder(): vscode.Uri {
  const [folder] = vscode.workspace.workspaceFolders ?? [];
  assert.ok(folder, 'no workspace folder open');
  return folder.uri;
}

/** A directory outside the workspace for files a test writes. */
export function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'swaprace-it-'));
}

/** Writes a file into the demo workspace for the duration of `body`, then deletes it. */
export async function withWorkspaceFile<T>(name: string, text: string, body: (uri: vscode.Uri) => Promise<T>): Promise<T> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  try {
    return await body(uri);
  } finally {
    await vscode.workspace.fs.delete(uri);
  }
}

export async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
