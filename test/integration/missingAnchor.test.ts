import assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { anchorLine, isFound, locateTree, snippetFor, type TreeAnchors } from '../../src/core/source';
import { readKernelTree } from '../core/helpers/kernel-tree';
import {
  CHECK_TIMEOUT_MS, closeEditors, cursorLineIn, kernelTreeFixture, lensesOf, lensesOnLine, runS1InTimeline, suiteApi, useKernelSourcePath, waitFor,
} from './helpers';

/** A v6.7-shaped tree whose do_swap_page() has no pte_same() re-check after taking the PTL (ours, on purpose). */
const FIXTURE_TREE = kernelTreeFixture('missing-anchor');
const MEMORY_C = vscode.Uri.file(path.join(FIXTURE_TREE, 'mm', 'memory.c'));
const PTE_SAME = 'do_swap_page.pte_same';
const SNIPPET_SCHEME = 'swaprace-snippet';
const NOT_LOCATED = /is not located in the kernel tree/;

function fixtureAnchors(): TreeAnchors {
  return locateTree(readKernelTree(FIXTURE_TREE), 'v6.7');
}

/** The visible editor of a snippet document of do_swap_page for v6.7, if there is one. */
function snippetEditor(): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find(
    (editor) => editor.document.uri.scheme === SNIPPET_SCHEME && /do_swap_page\(\) -- mm\/memory\.c, kernel v6\.7/.test(editor.document.getText()),
  );
}

suite('a kernel tree without an anchor: the step falls back to its snippet, and says so', () => {
  const api = suiteApi(CHECK_TIMEOUT_MS);
  const infos: string[] = [];
  const errors: string[] = [];
  /** The extension shares this `vscode` API object: its notices are recorded here, and still shown. */
  type Show = (...args: unknown[]) => unknown;
  const window = vscode.window as unknown as Record<'showInformationMessage' | 'showErrorMessage', Show>;
  const originalInfo = window.showInformationMessage;
  const originalError = window.showErrorMessage;
  const recording = (into: string[], original: Show): Show => (...args) => {
    into.push(String(args[0]));
    return original.apply(vscode.window, args);
  };

  suiteSetup(() => {
    window.showInformationMessage = recording(infos, originalInfo);
    window.showErrorMessage = recording(errors, originalError);
  });

  suiteTeardown(() => {
    window.showInformationMessage = originalInfo;
    window.showErrorMessage = originalError;
  });

  useKernelSourcePath(FIXTURE_TREE);

  teardown(closeEditors);

  test('following the timeline into the tree: a step it lacks opens in the snippet, with one notice naming the reason', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const { anchors } = fixtureAnchors();
    const missing = anchors[PTE_SAME];
    assert.ok(missing && !isFound(missing), 'the fixture tree lacks the pte_same re-check');
    assert.match(missing.missing, /no pte_same\( in do_swap_page after folio_lock_or_retry/);
    const getSwapDevice = anchors['do_swap_page.get_swap_device'];
    assert.ok(getSwapDevice && isFound(getSwapDevice), 'the fixture tree has the other anchors of do_swap_page');

    await runS1InTimeline(api());
    const trace = api().activeTimeline()!.trace!;
    const stepOf = (id: string) => {
      const index = trace.steps.findIndex((step) => step.stepId === id);
      assert.ok(index >= 0, `the trace has a step ${id}`);
      return index;
    };
    // No source editor is visible yet, so nothing is shown and nothing is said.
    assert.deepStrictEqual(infos.filter((message) => NOT_LOCATED.test(message)), []);

    // memory.c beside the timeline, so that revealing the timeline on a selection does not hide it.
    const timelineColumn = vscode.window.tabGroups.all.find((group) =>
      group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('swaprace.timeline')),
    )?.viewColumn;
    await vscode.window.showTextDocument(MEMORY_C, { viewColumn: timelineColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One });
    await vscode.commands.executeCommand('swaprace.selectStep', stepOf('do_swap_page.get_swap_device'));
    await waitFor(`memory.c's cursor on line ${getSwapDevice.line + 1}`, () => cursorLineIn(MEMORY_C) === getSwapDevice.line);

    // The step the tree lacks: its snippet opens in place of memory.c, at the step's line.
    await vscode.commands.executeCommand('swaprace.selectStep', stepOf(PTE_SAME));
    const snippetLine = anchorLine(snippetFor('do_swap_page', 'v6.7')!, PTE_SAME);
    assert.ok(snippetLine !== undefined);
    const editor = await waitFor(`the snippet's cursor on line ${snippetLine + 1}`, () => {
      const candidate = snippetEditor();
      return candidate?.selection.active.line === snippetLine ? candidate : undefined;
    });
    assert.match(editor.document.lineAt(snippetLine).text, /step: do_swap_page\.pte_same/);
    const notice = await waitFor('the missing-anchor notice', () => infos.find((message) => NOT_LOCATED.test(message)));
    assert.match(notice, /do_swap_page\(\) \(v6\.7\)/);
    assert.match(notice, /no pte_same\( in do_swap_page after folio_lock_or_retry/);
    assert.match(notice, /Showing the annotated snippet instead/);

    // The snippet's lens marks the step; the tree's memory.c has none for it (not on the back-out pte_same either).
    await lensesOnLine(editor.document.uri, snippetLine, /^\$\(arrow-right\) T\d step \d+: pte_same\(\) passes/);
    const treeLenses = await lensesOf(MEMORY_C);
    assert.ok(treeLenses.some((lens) => lens.command?.command === 'swaprace.selectStep'), "memory.c has lenses for the steps it does have");
    assert.deepStrictEqual(treeLenses.filter((lens) => /pte_same\(\) passes/.test(lens.command?.title ?? '')).map((lens) => lens.range.start.line), []);

    // Another step of the same function that the tree cannot place: the snippet follows, no second notice.
    const setPte = anchorLine(snippetFor('do_swap_page', 'v6.7')!, 'do_swap_page.set_pte');
    assert.ok(setPte !== undefined);
    await vscode.commands.executeCommand('swaprace.selectStep', stepOf('do_swap_page.set_pte'));
    await waitFor(`the snippet's cursor on line ${setPte + 1}`, () => snippetEditor()?.selection.active.line === setPte);
    // And back to a step the tree has: memory.c again.
    await vscode.commands.executeCommand('swaprace.selectStep', stepOf('do_swap_page.get_swap_device'));
    await waitFor(`memory.c's cursor on line ${getSwapDevice.line + 1}`, () => cursorLineIn(MEMORY_C) === getSwapDevice.line);
    assert.strictEqual(infos.filter((message) => NOT_LOCATED.test(message)).length, 1, infos.join('\n'));
    assert.deepStrictEqual(errors, []);
  });
});
