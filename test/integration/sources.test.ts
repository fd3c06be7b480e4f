import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { KERNEL_IDS, parseScenario } from '../../src/core';
import { closeEditors, scratchDir, suiteApi } from './helpers';

suite('annotated source and new scenario files', () => {
  suiteApi();
  teardown(closeEditors);

  test('Open Annotated Source opens a read-only C document of the function for the version', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('swaprace.openAnnotatedSource', { fn: 'do_swap_page', kernel: 'v6.8' });
    assert.strictEqual(document?.uri.scheme, 'swaprace-snippet');
    assert.strictEqual(document.languageId, 'c');
    assert.match(document.getText(), /do_swap_page\(\) -- mm\/memory\.c, kernel v6\.8/);
    assert.match(document.getText(), /step: do_swap_page\.pte_same/);
    // A content provider's documents are read-only in the editor.
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString());
  });

  test('New Scenario File completes a name ending in a part of the scenario suffix, without doubling it', async () => {
    const dir = scratchDir();
    for (const [typed, expected] of [['foo.swaprace', 'foo.swaprace.json'], ['bar.json', 'bar.swaprace.json'], ['baz', 'baz.swaprace.json']]) {
      const created = await vscode.commands.executeCommand<vscode.Uri>('swaprace.newScenario', { file: vscode.Uri.file(path.join(dir, typed)) });
      assert.strictEqual(created?.fsPath, path.join(dir, expected), typed);
    }
  });

  test('New Scenario File writes a scenario the parser accepts and opens it', async () => {
    const target = vscode.Uri.file(path.join(scratchDir(), 'fresh.swaprace.json'));
    const created = await vscode.commands.executeCommand<vscode.Uri>('swaprace.newScenario', { file: target });
    assert.strictEqual(created?.fsPath, target.fsPath);
    const parsed = parseScenario(fs.readFileSync(target.fsPath, 'utf8'), 'fresh', KERNEL_IDS);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath);
    assert.strictEqual(await vscode.commands.executeCommand('swaprace.newScenario', { file: target }), undefined, 'an existing file is never overwritten');
  });
});
