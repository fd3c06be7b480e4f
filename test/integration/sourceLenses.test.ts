import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { builtinScenarios, KERNEL_IDS, parseScenario, type Scenario } from '../../src/core';
import { anchorLine, isFound, locateTree, scenariosThrough, snippetFor } from '../../src/core/source';
import { readKernelTree } from '../core/helpers/kernel-tree';
import {
  CHECK_TIMEOUT_MS, closeEditors, cursorLineIn, kernelTreeFixture, lensesOnLine, runS1InTimeline, suiteApi, useKernelSourcePath, waitFor,
} from './helpers';

/** A tree shaped like v6.7, outside the demo workspace: found through `swaprace.kernelSourcePath` only. */
const FIXTURE_TREE = kernelTreeFixture('v6.7-like');
const MEMORY_C = vscode.Uri.file(path.join(FIXTURE_TREE, 'mm', 'memory.c'));
const PTE_SAME = 'do_swap_page.pte_same';

/** The line of a step (or, with `of: 'functions'`, a function's definition) in the fixture tree, as the core locates it for v6.7. */
function fixtureLine(name: string, of: 'anchors' | 'functions' = 'anchors'): number {
  const located = locateTree(readKernelTree(FIXTURE_TREE), 'v6.7')[of][name];
  assert.ok(located && isFound(located), `${name} is located in the fixture tree`);
  return located.line;
}

suite('source mapping in the editor (CodeLens, following the timeline)', () => {
  const api = suiteApi(CHECK_TIMEOUT_MS);
  useKernelSourcePath(FIXTURE_TREE);
  suiteSetup(async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await api().rescanScenarioFiles();
  });

  teardown(closeEditors);

  test("a modelled function in the tree's mm/memory.c offers the scenarios through it, for the tree's version", async () => {
    // Built-ins plus the scenario files the extension tracks (the Testing view lists them; earlier tests leave
    // some behind), read as the extension reads them: from an open document first, else from disk.
    const fileScenarios: Scenario[] = [];
    api().testController.items.forEach((item) => {
      const uri = item.uri;
      if (!uri) return;
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
      const text = open?.getText() ?? (fs.existsSync(uri.fsPath) ? fs.readFileSync(uri.fsPath, 'utf8') : undefined);
      const parsed = text === undefined ? undefined : parseScenario(text, uri.fsPath, KERNEL_IDS);
      if (parsed?.ok) fileScenarios.push(parsed.scenario);
    });
    assert.ok(fileScenarios.length >= 2, 'the demo workspace has two scenario files');
    const expected = scenariosThrough('do_swap_page', 'v6.7', [...builtinScenarios(), ...fileScenarios]).length;
    assert.ok(expected > 0);
    await vscode.window.showTextDocument(MEMORY_C);
    const [lens] = await lensesOnLine(MEMORY_C, fixtureLine('do_swap_page', 'functions'), /through do_swap_page/);
    assert.strictEqual(lens.command?.title, `Explore ${expected} scenarios through do_swap_page on v6.7`);
    assert.strictEqual(lens.command?.command, 'swaprace.exploreFunction');
    assert.deepStrictEqual(lens.command?.arguments, [{ fn: 'do_swap_page', kernel: 'v6.7' }]);
  });

  test('with a trace active, step lenses mark the steps of each anchored line, in the tree and in the snippet; one selects its step', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await runS1InTimeline(api());

    const treeLenses = await lensesOnLine(MEMORY_C, fixtureLine(PTE_SAME), /^T0 step 26: pte_same\(\) passes/);
    assert.strictEqual(treeLenses[0].command?.command, 'swaprace.selectStep');
    assert.deepStrictEqual(treeLenses[0].command?.arguments, [25]);
    const violating = await lensesOnLine(MEMORY_C, fixtureLine('do_swap_page.set_pte'), /T0 step 28: .*\(violation\)$/);
    assert.match(violating[0].command?.title ?? '', /\$\(error\)/);

    const snippet = await vscode.commands.executeCommand<vscode.TextDocument>('swaprace.openAnnotatedSource', { fn: 'do_swap_page', kernel: 'v6.7' });
    assert.ok(snippet);
    const snippetLine = anchorLine(snippetFor('do_swap_page', 'v6.7')!, PTE_SAME);
    assert.ok(snippetLine !== undefined);
    const snippetLenses = await lensesOnLine(snippet.uri, snippetLine, /T\d step \d+: pte_same\(\) passes/);
    assert.deepStrictEqual(snippetLenses.map((lens) => lens.command?.title.replace(/^\$\([\w-]+\) /, '')), [
      'T1 step 15: pte_same() passes: PTE still swap(slot 0)',
      'T0 step 26: pte_same() passes: PTE still swap(slot 0)',
    ]);

    const t1Command = snippetLenses[0].command!;
    assert.strictEqual(t1Command.command, 'swaprace.selectStep');
    await vscode.commands.executeCommand(t1Command.command, ...(t1Command.arguments ?? []));
    await waitFor('the timeline to select step 15', () => api().activeTimeline()?.selectedStep === 14);
    // The lenses follow: the selected step is marked.
    await lensesOnLine(snippet.uri, snippetLine, /^\$\(arrow-right\) T1 step 15/);
  });

  test('selecting a step reveals and selects its line in the visible source editor, without taking focus', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await vscode.window.showTextDocument(MEMORY_C);
    await runS1InTimeline(api());

    await vscode.commands.executeCommand('swaprace.selectStep', 1);
    const getSwapDevice = fixtureLine('do_swap_page.get_swap_device');
    await waitFor(`memory.c's cursor on line ${getSwapDevice + 1}`, () => cursorLineIn(MEMORY_C) === getSwapDevice);

    await vscode.commands.executeCommand('swaprace.stepForward');
    await waitFor('step 3 selected', () => api().activeTimeline()?.selectedStep === 2);
    const lookup = fixtureLine('do_swap_page.swap_cache_lookup');
    await waitFor(`memory.c's cursor on line ${lookup + 1}`, () => cursorLineIn(MEMORY_C) === lookup);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === MEMORY_C.toString())!;
    assert.ok(editor.visibleRanges.some((range) => range.contains(new vscode.Position(lookup, 0))), 'the line is scrolled into view');
    assert.notStrictEqual(vscode.window.activeTextEditor?.document.uri.toString(), MEMORY_C.toString(), 'the timeline keeps the focus');
  });
});
