/**
 * Shared by the integration tests: the extension's API, polling, scratch files, the kernel-tree fixtures, CodeLens
 * and editors. Bundled into each test file (esbuild.mjs --tests); index.ts runs only the `*.test.js` files.
 */
import assert from 'assert';
import * as fs from 'fs';
import { parse as parseJsonc } from 'jsonc-parser';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core';
import { COMPARISON_SCHEME } from '../../src/extension/comparisonDocuments';
import type { SwapraceApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'swaprace.swaprace';
/** A search of a built-in scenario takes about a second; the workbench may be busy starting up. */
export const CHECK_TIMEOUT_MS = 120000;
/** The repository, from the bundles in dist/test/integration. */
const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Four threads on two pages: the reference explorer needs well over 20 seconds for it on v6.8, so a run
 * that ends within seconds of Stop was stopped by it.
 */
export const LONG_SCENARIO = {
  id: 'long-search',
  title: 'A search that takes a while',
  kernel: 'v6.8',
  device: { synchronous: true, slots: 3 },
  pages: [{ name: 'p0', initial: 'swapped' }, { name: 'p1', initial: 'swapped' }],
  threads: [
    { name: 'T0', ops: [{ op: 'read', page: 'p0' }, { op: 'write', page: 'p1' }] },
    { name: 'T1', ops: [{ op: 'read', page: 'p0' }, { op: 'write', page: 'p0' }] },
    { name: 'T2', ops: [{ op: 'read', page: 'p1' }, { op: 'write', page: 'p0' }] },
    { name: 'R', ops: [{ op: 'reclaim', page: 'p0' }, { op: 'reclaim', page: 'p1' }] },
  ],
  bounds: { maxStates: 100000000, maxDepth: 400, timeoutMs: 120000 },
  expect: { 'v6.8': 'pass' },
};

/** LONG_SCENARIO written to a scratch file; its path. */
export function longScenarioFile(): string {
  const file = path.join(scratchDir(), 'long-search.swaprace.json');
  fs.writeFileSync(file, JSON.stringify(LONG_SCENARIO, null, 2));
  return file;
}

/** The extension's job worker (dist/worker.js), for tests that run the extension's classes themselves. */
export function workerPath(): string {
  return path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'worker.js');
}

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

/**
 * What a search command running when Stop was sent returns, which must come within `withinMs`; either way no
 * search is left running for later tests (a loop that Stop did not end is stopped search by search).
 */
export async function afterStop<T>(running: Thenable<T>, what: string, withinMs = 15000): Promise<T> {
  let settled = false;
  const result = Promise.resolve(running).finally(() => (settled = true));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${withinMs} ms of Stop`)), withinMs)));
  try {
    return await Promise.race([result, late]);
  } finally {
    clearTimeout(timer);
    await waitFor(`${what} to end`, async () => settled || void (await vscode.commands.executeCommand('swaprace.stop')), 60000);
  }
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

/** Where `scratchDir` makes its directories: one per extension host (each test file bundles its own copy of this module). */
const scratchRoot = (): string => path.join(os.tmpdir(), `swaprace-it-${process.pid}`);

/** A directory outside the workspace for files a test writes (`removeScratchDirs` deletes it). */
export function scratchDir(): string {
  fs.mkdirSync(scratchRoot(), { recursive: true });
  return fs.mkdtempSync(path.join(scratchRoot(), 'test-'));
}

/** Deletes every directory `scratchDir` made (once the tests are done). */
export function removeScratchDirs(): void {
  fs.rmSync(scratchRoot(), { recursive: true, force: true });
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

/**
 * Writes `settings` (`"swaprace.search.workers": "4"`: any value, as typed into settings.json) into the demo
 * workspace's .vscode/settings.json for the duration of `body`, then puts back what was there (or nothing).
 */
export async function withWorkspaceSettings<T>(settings: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  const dir = path.join(workspaceFolder().fsPath, '.vscode');
  const file = path.join(dir, 'settings.json');
  const hadDir = fs.existsSync(dir);
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const previousValues = (previous !== undefined ? parseJsonc(previous) : {}) as Record<string, unknown>;
  const applied = (values: Record<string, unknown>) => () =>
    Object.keys(settings).every((key) => isDeepStrictEqual(vscode.workspace.getConfiguration().inspect(key)?.workspaceValue, values[key]));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  try {
    await waitFor('the workspace settings to apply', applied(settings));
    return await body();
  } finally {
    if (previous !== undefined) fs.writeFileSync(file, previous);
    else if (hadDir) fs.rmSync(file);
    else fs.rmSync(dir, { recursive: true });
    await waitFor('the workspace settings to be restored', applied(previousValues));
  }
}

/** The tab of a custom editor (a trace file's) on `uri`, if one is open. */
export function customEditorTab(uri: vscode.Uri): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputCustom && tab.input.uri.toString() === uri.toString());
}

/** The visible editor of a comparison (Compare Kernel Versions' document), if there is one. */
export function shownComparison(): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === COMPARISON_SCHEME);
}

/**
 * Throws away the unsaved edits of `document` and closes its editor. The revert command acts on the active
 * editor, and a timeline that a run reveals may take the focus at any moment: so it is retried until this
 * document is the one reverted.
 */
export async function revertAndClose(document: vscode.TextDocument): Promise<void> {
  await waitFor(`${document.uri.path} reverted and closed`, async () => {
    await vscode.window.showTextDocument(document);
    if (vscode.window.activeTextEditor?.document !== document) return undefined;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    return !document.isDirty || undefined;
  });
}

export async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
