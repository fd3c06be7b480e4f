import assert from 'assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core';
import type { SwapraceApi } from '../../src/extension/extension';

const EXTENSION_ID = 'swaprace.swaprace';
const CHECK_TIMEOUT_MS = 120000;

function runScenario(scenarioId: string, kernel: string): Thenable<CheckResult | undefined> {
  return vscode.commands.executeCommand<CheckResult | undefined>('swaprace.runScenario', { scenarioId, kernel });
}

suite('swaprace in a real extension host', () => {
  let api: SwapraceApi;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<SwapraceApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
  });

  test('activates and returns its API', () => {
    assert.strictEqual(typeof api.runScenario, 'function');
    assert.strictEqual(typeof api.timelineHtml, 'function');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['swaprace.runScenario', 'swaprace.showTimeline']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  test('puts a CodeLens above do_swap_page in a C file', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folder, 'no workspace folder open');
    const uri = vscode.Uri.joinPath(folder.uri, 'swap_stub.c');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = lenses.filter((lens) => lens.command?.command === 'swaprace.runScenario');
    assert.deepStrictEqual(
      ours.map((lens) => [lens.command?.title, document.lineAt(lens.range.start.line).text.includes('do_swap_page(')]),
      [['Swap Race: explore scenarios through do_swap_page', true]],
    );
  });

  test('anon-direct-aba on v6.7 finds the ABA violation and shows it in a strict-CSP timeline', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await runScenario('anon-direct-aba', 'v6.7');
    assert.strictEqual(result?.verdict, 'violation', result?.message);
    assert.ok(result.trace, 'a violation comes with a trace');
    const html = api.timelineHtml() ?? '';
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-[^']+'/);
  });

  test('anon-direct-aba on v6.8 (commit 13ddaf26be32) is verified', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await runScenario('anon-direct-aba', 'v6.8');
    assert.strictEqual(result?.verdict, 'verified', result?.message);
  });
});
