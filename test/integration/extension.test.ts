import assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, lensesOf, suiteApi, waitFor, withWorkspaceSettings, workspaceFolder } from './helpers';

const COMMANDS = [
  'swaprace.runScenario', 'swaprace.runAgain', 'swaprace.stop', 'swaprace.compareKernels', 'swaprace.openTrace', 'swaprace.saveTrace',
  'swaprace.replaySchedule', 'swaprace.newScenario', 'swaprace.showTimeline', 'swaprace.stepForward', 'swaprace.stepBack',
  'swaprace.openAnnotatedSource', 'swaprace.exploreFunction', 'swaprace.selectStep', 'swaprace.showComparedCounterexample',
];

suite('activation, commands and CodeLens', () => {
  const api = suiteApi();

  test('activates and returns its API', () => {
    assert.strictEqual(typeof api().runScenario, 'function');
    assert.strictEqual(typeof api().runTests, 'function');
    assert.ok(api().testController, 'the API exposes the test controller');
  });

  test('registers every command, all contributed in the "Swap Race" category', async () => {
    const registered = await vscode.commands.getCommands(true);
    for (const id of COMMANDS) assert.ok(registered.includes(id), `${id} is not registered`);
    const contributed = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string; category: string }[];
    assert.deepStrictEqual(contributed.map((c) => c.command).sort(), [...COMMANDS].sort());
    assert.ok(contributed.every((c) => c.category === 'Swap Race'));
  });

  test('contributes the settings with defaults', () => {
    const config = vscode.workspace.getConfiguration('swaprace');
    assert.strictEqual(config.get('search.strategy'), 'portfolio');
    assert.strictEqual(config.get('search.workers'), 2);
    assert.strictEqual(config.get('search.seed'), 1);
    assert.strictEqual(config.inspect('defaultKernel')?.defaultValue, '');
    assert.strictEqual(config.get('defaultKernel'), 'v6.7', "the demo workspace's setting");
    assert.strictEqual(config.get('kernelSourcePath'), '');
  });

  test('puts a CodeLens above do_swap_page in a C file', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder(), 'swap_stub.c');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const ours = async () => (await lensesOf(uri)).filter((lens) => lens.command?.command === 'swaprace.exploreFunction');
    // Not in a kernel tree: the demo workspace's default version.
    assert.deepStrictEqual(
      (await ours()).map((lens) => [/^Explore \d+ scenarios through do_swap_page on v6\.7$/.test(lens.command?.title ?? ''), document.lineAt(lens.range.start.line).text.includes('do_swap_page(')]),
      [[true, true]],
    );
    // Without one: the newest modelled version.
    await withWorkspaceSettings({}, () =>
      waitFor('the lens for the newest version', async () => (await ours()).some((lens) => /^Explore \d+ scenarios through do_swap_page on v7\.0$/.test(lens.command?.title ?? ''))),
    );
  });

  test('a bad request to a command is reported, never thrown into the extension host', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('swaprace.runScenario', { scenarioId: 'no-such-scenario' }), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('swaprace.runScenario', { scenarioId: 'anon-direct-aba', kernel: 'v9.99' }), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('swaprace.replaySchedule', { scenarioId: 'anon-direct-aba', kernel: 'v6.7', schedule: '7.7.7' }), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('swaprace.openAnnotatedSource', { fn: 'no_such_function', kernel: 'v6.7' }), undefined);
  });
});
