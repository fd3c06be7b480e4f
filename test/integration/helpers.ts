/**
 * Shared by the integration tests: the extension's API, polling, scratch files, the kernel-tree fixtures, CodeLens
 * and editors. Bundled into each test file (esbuild.mjs --tests); index.ts runs only the `*.test.js` files.
 */
import assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core';
import type { SwapraceApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'swaprace.swaprace';
/** A search of a built-in scenario takes about a second; the workbench may be busy starting up. */
export const CHECK_TIMEOUT_MS = 120000;
/** The repository, from the bundles in dist/test/integration. */
const ROOT = path.resolve(__dirname, '..', '..', '..');

async function swapraceApi(): Promise<SwapraceApi> {
  const extension = vscode.extensions.getExtension<SwapraceApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/**
 * Call inside `suite()`: activates the extension before the suite's tests (within `timeoutMs` when given, else
 * mocha's default) and returns the API for its tests and later hooks to use.
 */
export function suiteApi(timeoutMs?: number): () => SwapraceApi {
  let api: SwapraceApi | undefined;
  suiteSetup(async function () {
    if (timeoutMs !== undefined) this.timeout(timeoutMs);
    api = await swapraceApi();
  });
  return () => {
    assert.ok(api, 'the extension is activated by the suite set-up');
    return api;
  };
}

/**
 * Call inside `suite()`: the kernel source path setting (`swaprace.kernelSourcePath`) is `tree` for the suite's
 * tests, and what it was before once they are done.
 */
export function useKernelSourcePath(tree: string): void {
  let previous: string | undefined;
  suiteSetup(async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const config = vscode.workspace.getConfiguration('swaprace');
    previous = config.inspect<string>('kernelSourcePath')?.globalValue;
    await config.update('kernelSourcePath', tree, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('swaprace').update('kernelSourcePath', previous, vscode.ConfigurationTarget.Global);
  });
}

/** The directory of a kernel-tree fixture, test/fixtures/kernel-trees/`name`. */
export function kernelTreeFixture(name: string): string {
  return path.join(ROOT, 'test', 'fixtures', 'kernel-trees', name);
}

/** Runs anon-direct-aba on v6.7 (the S1 violation) and waits until its timeline has selected a step. */
export async function runS1InTimeline(api: SwapraceApi): Promise<CheckResult> {
  const result = await api.runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
  assert.strictEqual(result?.verdict, 'violation', result?.message);
  // The webview reports its first selection (the violating step) once it has loaded the trace.
  await waitFor('the timeline to select its first step', () => api.activeTimeline()?.selectedStep !== undefined);
  return result;
}

/** The CodeLenses of a document, resolved. */
export function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return Promise.resolve(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)).then((lenses) => lenses ?? []);
}

/** Waits for lenses on `line` whose titles match, and returns them. */
export function lensesOnLine(uri: vscode.Uri, line: number, title: RegExp): Promise<vscode.CodeLens[]> {
  return waitFor(`a lens matching ${title} on line ${line + 1} of ${uri.toString()}`, async () => {
    const found = (await lensesOf(uri)).filter((lens) => lens.range.start.line === line && title.test(lens.command?.title ?? ''));
    return found.length > 0 ? found : undefined;
  });
}

/** The cursor's line in the visible editor of `uri`, if there is one. */
export function cursorLineIn(uri: vscode.Uri): number | undefined {
  return vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString())?.selection.active.line;
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
