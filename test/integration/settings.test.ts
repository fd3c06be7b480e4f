import assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { CHECK_TIMEOUT_MS, closeEditors, kernelTreeFixture, lensesOf, suiteApi, waitFor, withWorkspaceSettings, workspaceFolder } from './helpers';

/** The "Explore N scenarios through do_swap_page on <kernel>" lens of a document, once there is one. */
function exploreLens(uri: vscode.Uri): Promise<vscode.CodeLens> {
  return waitFor(`the do_swap_page lens in ${uri.toString()}`, async () =>
    (await lensesOf(uri)).find((lens) => lens.command?.command === 'swaprace.exploreFunction' && /through do_swap_page on /.test(lens.command.title)),
  );
}

suite('bad and relative settings', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('a kernelSourcePath that is not a string is reported by name and ignored: CodeLens stay', async () => {
    await withWorkspaceSettings({ 'swaprace.kernelSourcePath': 42 }, async () => {
      const stub = vscode.Uri.joinPath(workspaceFolder(), 'swap_stub.c');
      await vscode.window.showTextDocument(stub);
      const lens = await exploreLens(stub);
      assert.match(lens.command!.title, /on v7\.0$/, 'no kernel tree: the newest modelled version');
      assert.ok(api().settingProblems().some((problem) => problem.startsWith('the setting swaprace.kernelSourcePath is 42,')), api().settingProblems().join('\n'));
    });
  });

  test('a kernelSourcePath relative to the workspace folder, or starting with ~, finds the tree', async () => {
    const tree = kernelTreeFixture('v6.7-like');
    const memoryC = vscode.Uri.file(path.join(tree, 'mm', 'memory.c'));
    for (const setting of [path.relative(workspaceFolder().fsPath, tree), `~/${path.relative(os.homedir(), tree)}`]) {
      await withWorkspaceSettings({ 'swaprace.kernelSourcePath': setting }, async () => {
        await vscode.window.showTextDocument(memoryC);
        // A file of the tree gets the tree's version (its Makefile's), not the newest one.
        await waitFor(`the lens for the tree's version with ${setting}`, async () => /on v6\.7$/.test((await exploreLens(memoryC)).command!.title));
      });
      await closeEditors();
    }
  });

  test('bad search settings are reported once each, naming the setting, the value and what it allows; the run uses the defaults', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const bad = { 'swaprace.search.maxStates': -5, 'swaprace.search.workers': '4', 'swaprace.search.strategy': 'fastest' };
    await withWorkspaceSettings(bad, async () => {
      for (let run = 0; run < 2; run++) {
        const result = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
        assert.strictEqual(result?.verdict, 'violation');
        assert.strictEqual(result.strategy, 'portfolio');
      }
    });
    const problems = api().settingProblems();
    const expected = [
      'the setting swaprace.search.maxStates is -5, but it must be an integer from 1 to',
      'the setting swaprace.search.workers is "4", but it must be an integer from 1 to 64; using the default, 2 instead.',
      'the setting swaprace.search.strategy is "fastest", but it must be one of portfolio,',
    ];
    for (const start of expected) assert.strictEqual(problems.filter((problem) => problem.startsWith(start)).length, 1, `once: ${start}\n${problems.join('\n')}`);
  });
});
