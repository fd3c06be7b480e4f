import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { isFound, locateTree } from '../../src/core/source';
import { readKernelTree } from '../core/helpers/kernel-tree';
import { CHECK_TIMEOUT_MS, closeEditors, kernelTreeFixture, lensesOnLine, runS1InTimeline, scratchDir, suiteApi, withWorkspaceSettings } from './helpers';

const PTE_SAME_LENS = /^T0 step 26: pte_same\(\) passes/;

suite('a kernel tree that changes on disk', () => {
  const api = suiteApi(CHECK_TIMEOUT_MS);

  teardown(closeEditors);

  test('step lenses follow edits of mm/memory.c, on disk and unsaved, and function lenses a new version in the Makefile', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    // A copy, since the test rewrites its files.
    const tree = path.join(scratchDir(), 'linux');
    fs.cpSync(kernelTreeFixture('v6.7-like'), tree, { recursive: true });
    const memoryC = path.join(tree, 'mm', 'memory.c');
    const memoryUri = vscode.Uri.file(memoryC);
    const pteSame = locateTree(readKernelTree(tree), 'v6.7').anchors['do_swap_page.pte_same'];
    assert.ok(pteSame && isFound(pteSame), 'the fixture tree has the pte_same re-check');
    try {
      // Off: VS Code in a browser saves edits after a delay by default, and the edits below must stay unsaved.
      await withWorkspaceSettings({ 'swaprace.kernelSourcePath': tree, 'files.autoSave': 'off' }, async () => {
        await vscode.window.showTextDocument(memoryUri);
        await runS1InTimeline(api());
        await lensesOnLine(memoryUri, pteSame.line, PTE_SAME_LENS);

        fs.writeFileSync(memoryC, `/* one */\n/* two */\n/* three */\n${fs.readFileSync(memoryC, 'utf8')}`);
        await lensesOnLine(memoryUri, pteSame.line + 3, PTE_SAME_LENS);

        // Unsaved edits count: the editor's text stands in for the disk copy, until it is reverted.
        const editor = await vscode.window.showTextDocument(memoryUri);
        try {
          await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '/* four */\n/* five */\n'));
          await lensesOnLine(memoryUri, pteSame.line + 5, PTE_SAME_LENS);
        } finally {
          await vscode.window.showTextDocument(editor.document);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
        await lensesOnLine(memoryUri, pteSame.line + 3, PTE_SAME_LENS);

        // The Makefile is never open in an editor: only the tree's file watcher sees this.
        const makefile = path.join(tree, 'Makefile');
        fs.writeFileSync(makefile, fs.readFileSync(makefile, 'utf8').replace(/^PATCHLEVEL = 7$/m, 'PATCHLEVEL = 8'));
        const doSwapPage = locateTree(readKernelTree(tree), 'v6.8').functions['do_swap_page'];
        assert.ok(doSwapPage && isFound(doSwapPage));
        await lensesOnLine(memoryUri, doSwapPage.line, /through do_swap_page on v6\.8$/);
      });
    } finally {
      fs.rmSync(path.dirname(tree), { recursive: true, force: true });
    }
  });
});
