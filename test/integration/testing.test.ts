import assert from 'assert';
import * as vscode from 'vscode';
import { afterStop, CHECK_TIMEOUT_MS, closeEditors, LONG_SCENARIO, revertAndClose, suiteApi, waitFor, withWorkspaceFile, withWorkspaceSettings, workspaceFolder } from './helpers';

/** The demo scenario with the wrong expectation on v6.7, so that its test fails. */
const WRONG_EXPECTATION = `{
  "id": "wrong-expectation",
  "title": "Expects the race to be fixed in v6.7",
  "kernel": "v6.7",
  "device": { "synchronous": true, "slots": 2 },
  "pages": [{ "name": "p0", "initial": "swapped" }],
  "threads": [
    { "name": "T0", "ops": [{ "op": "read", "page": "p0" }] },
    { "name": "T1", "ops": [{ "op": "read", "page": "p0" }, { "op": "write", "page": "p0" }] },
    { "name": "R", "ops": [{ "op": "reclaim", "page": "p0" }] }
  ],
  "properties": ["no-stale-install"],
  "expect": { "v6.7": "pass" }
}
`;

suite('Testing view', () => {
  const api = suiteApi();

  teardown(closeEditors);

  const item = (id: string) => {
    let found: vscode.TestItem | undefined;
    const visit = (collection: vscode.TestItemCollection) =>
      collection.forEach((child) => {
        if (child.id === id) found = child;
        visit(child.children);
      });
    visit(api().testController.items);
    return found;
  };

  test('lists every built-in scenario and the workspace scenario files, with a child per expected kernel version', async () => {
    const builtin = item('builtin:anon-direct-aba');
    assert.ok(builtin, 'the built-in anon-direct-aba is a test item');
    const kernels: string[] = [];
    builtin.children.forEach((child) => kernels.push(child.label));
    assert.deepStrictEqual(kernels.sort(), ['shmem-bypass-2023', 'v5.13', 'v6.12', 'v6.14', 'v6.18', 'v6.7', 'v6.8', 'v7.0'].sort());
    const demoFile = vscode.Uri.joinPath(workspaceFolder(), 'example.swaprace.json').toString();
    const demo = await waitFor('the demo scenario file to be listed', () => item(demoFile));
    assert.strictEqual(demo.label, 'demo-direct-aba');
    assert.ok(item(`${demoFile}@v6.7`) && item(`${demoFile}@v6.8`));
    assert.strictEqual(item(`${demoFile}@v6.7`)?.range?.start.line, 15, 'the v6.7 child points at its "expect" entry');
  });

  test('an expected violation passes and says it was expected; an expected pass verifies', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const outcomes = await api().runTests(['builtin:anon-direct-aba@v6.7', 'builtin:anon-direct-aba@v6.8']);
    assert.deepStrictEqual(outcomes.map((o) => [o.id, o.state]), [
      ['builtin:anon-direct-aba@v6.7', 'passed'],
      ['builtin:anon-direct-aba@v6.8', 'passed'],
    ]);
    assert.match(outcomes[0].message, /expected violation was found \(expect: fail\): no-stale-install/);
    assert.match(outcomes[1].message, /verified/);
  });

  test('running a scenario item runs every kernel version it lists', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const outcomes = await api().runTests(['builtin:direct-pin-retry']);
    assert.strictEqual(outcomes.length, 8);
    assert.ok(outcomes.every((o) => o.state === 'passed'), outcomes.map((o) => `${o.id}: ${o.message}`).join('\n'));
  });

  test('a violation where the scenario expects none fails with the violated property and opens the trace', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await withWorkspaceFile('wrong-expectation.swaprace.json', WRONG_EXPECTATION, async (uri) => {
      await api().rescanScenarioFiles();
      const id = `${uri.toString()}@v6.7`;
      await waitFor('the new file to become a test item', () => item(id));
      const [outcome] = await api().runTests([id]);
      assert.strictEqual(outcome.state, 'failed');
      assert.match(outcome.message, /^no-stale-install fails on v6\.7 \(expect: pass\)/);
      const shown = await waitFor('the failing trace in the timeline', () => api().activeTimeline()?.trace);
      assert.strictEqual(shown.scenario.id, 'wrong-expectation');
    });
  });

  test('a failure found in a file edited during its run points at its thread in the edited text', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    // A search of a few seconds that fails its expectation: the edit lands while it runs.
    const slow = JSON.stringify({ ...LONG_SCENARIO, id: 'edited-during-test-run', kernel: 'v6.7', properties: ['no-stale-install'], expect: { 'v6.7': 'pass' } }, null, 2);
    await withWorkspaceFile('edited-test-run.swaprace.json', slow, async (uri) => {
      await api().rescanScenarioFiles();
      const id = `${uri.toString()}@v6.7`;
      await waitFor('the new file to become a test item', () => item(id));
      const editor = await vscode.window.showTextDocument(uri);
      try {
        const running = api().runTests([id]);
        await waitFor('the search to start', () => api().runningSearches > 0, CHECK_TIMEOUT_MS);
        assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '\n\n\n')));
        assert.strictEqual(api().runningSearches, 1, 'the edit landed while the search ran');
        const [outcome] = await running;
        assert.strictEqual(outcome.state, 'failed', outcome.message);
        const shown = await waitFor('the failing trace in the timeline', () => api().activeTimeline()?.trace);
        const thread = shown.threads[shown.steps[shown.violation!.step].thread].name;
        assert.strictEqual(outcome.location?.uri.toString(), uri.toString());
        assert.strictEqual(editor.document.getText(outcome.location.range), JSON.stringify(thread));
      } finally {
        await revertAndClose(editor.document);
      }
    });
  });

  test('Stop ends a test run: the versions after the stopped one are not run', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const scenario = { ...LONG_SCENARIO, expect: { 'v6.8': 'pass', 'v6.12': 'pass', 'v6.14': 'pass' } };
    // The reference explorer takes long enough on it for Stop to catch the first version's search.
    await withWorkspaceSettings({ 'swaprace.search.strategy': 'reference' }, () =>
      withWorkspaceFile('long-search.swaprace.json', JSON.stringify(scenario, null, 2), async (uri) => {
        await api().rescanScenarioFiles();
        await waitFor('the new file to become a test item', () => item(`${uri.toString()}@v6.14`));
        const running = api().runTests([uri.toString()]);
        await waitFor('the first search to start', () => api().runningSearches > 0);
        await vscode.commands.executeCommand('swaprace.stop');
        const outcomes = await afterStop(running, 'the test run');
        assert.deepStrictEqual(outcomes.map((o) => [o.id, o.state]), [[`${uri.toString()}@v6.8`, 'errored']]);
        assert.match(outcomes[0].message, /cancelled/);
      }),
    );
  });
});
