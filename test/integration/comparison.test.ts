import assert from 'assert';
import * as vscode from 'vscode';
import type { KernelComparison } from '../../src/core/search/comparison';
import { CHECK_TIMEOUT_MS, closeEditors, lensesOf, lensesOnLine, shownComparison, suiteApi, waitFor, workspaceFolder } from './helpers';

/** The cells of the table row of `kernel` in a comparison's Markdown, and its line. */
function row(document: vscode.TextDocument, kernel: string): { line: number; cells: string[] } {
  const lines = document.getText().split('\n');
  const line = lines.findIndex((text) => text.startsWith(`| ${kernel} `));
  assert.ok(line >= 0, `no row of ${kernel} in:\n${document.getText()}`);
  return { line, cells: lines[line].split('|').slice(1, -1).map((cell) => cell.trim()) };
}

suite('Compare Kernel Versions', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('keeps its table of verdicts in a read-only Markdown document beside the editor, as swaprace compare prints it', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceFolder(), 'swap_stub.c'));
    const comparisons = await vscode.commands.executeCommand<KernelComparison[]>('swaprace.compareKernels', { scenarioId: 'anon-direct-aba', kernels: ['v6.7', 'v6.8'] });
    const [v67, v68] = comparisons ?? [];
    assert.strictEqual(v67?.result?.verdict, 'violation');
    assert.strictEqual(v68?.result?.verdict, 'verified');
    const editor = shownComparison();
    assert.ok(editor, 'the comparison is shown in an editor');
    const { document } = editor;
    assert.strictEqual(document.languageId, 'markdown');
    assert.strictEqual(document.isUntitled, false, 'a document of its own scheme, not an untitled one that asks to be saved');
    assert.strictEqual(editor.viewColumn, vscode.ViewColumn.Two, 'beside the editor');
    const text = document.getText();
    assert.match(text, /^# anon-direct-aba across kernel versions\n\nS1: direct swap-in ABA on an anonymous page\n\n\| kernel +\| verdict +\| expect +\| property +\| steps +\| states +\| time +\| bounds +\|\n/);
    assert.deepStrictEqual(row(document, 'v6.7').cells.slice(0, 5), ['v6.7', 'violation', 'fail', 'no-stale-install', String(v67.result!.trace!.steps.length)]);
    assert.deepStrictEqual(row(document, 'v6.8').cells.slice(0, 5), ['v6.8', 'verified', 'pass', '-', '-']);
    assert.strictEqual(row(document, 'v6.8').cells[7], `up to depth ${v68.result!.limits.maxDepth}`);
    assert.ok(text.includes('\n2 of 2 verdicts as expected\n'), text);
    assert.ok(text.includes(`\n## v6.7: no-stale-install\n\n${v67.result!.message}\n\nSchedule: \`${v67.result!.schedule}\`\n`), text);
    await vscode.window.showTextDocument(document, editor.viewColumn);
    await vscode.commands.executeCommand('type', { text: 'typed' });
    assert.strictEqual(document.getText(), text, 'typing does not change it: it is read-only');

    // Unlike a quick pick, it stays when the user works elsewhere.
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    await vscode.commands.executeCommand('workbench.action.quickOpen');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.strictEqual(shownComparison()?.document, document);
  });

  test('a CodeLens on the row of a version with a counterexample shows it in the timeline', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const comparisons = await vscode.commands.executeCommand<KernelComparison[]>('swaprace.compareKernels', { scenarioId: 'anon-direct-aba', kernels: ['v6.7', 'v6.8'] });
    const counterexample = comparisons?.[0]?.result?.trace;
    assert.ok(counterexample, 'v6.7 has a counterexample');
    const { document } = shownComparison()!;
    const [lens] = await lensesOnLine(document.uri, row(document, 'v6.7').line, /counterexample of v6\.7/);
    assert.strictEqual((await lensesOf(document.uri)).length, 1, 'v6.8 is verified: no lens on its row');
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const shown = await waitFor('the timeline to show the counterexample of v6.7', () => {
      const trace = api().activeTimeline()?.trace;
      return trace?.kernel === 'v6.7' ? trace : undefined;
    });
    assert.strictEqual(shown.schedule, counterexample.schedule);
  });
});
