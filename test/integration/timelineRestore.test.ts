import assert from 'assert';
import * as vscode from 'vscode';
import type { Trace } from '../../src/core/trace/types';
import { Timelines, TIMELINE_PANEL_TYPE, type TraceRestorer } from '../../src/extension/timelines';
import { PROTOCOL_VERSION } from '../../src/webview/protocol';
import { CHECK_TIMEOUT_MS, closeEditors, EXTENSION_ID, suiteApi, waitFor } from './helpers';

/** A restorer the test answers by hand, to act while the replay is running; `cancellation` is the token it was given. */
function pendingRestorer(): {
  restorer: TraceRestorer;
  answer: (outcome: Awaited<ReturnType<TraceRestorer>> | Error) => void;
  cancellation: () => vscode.CancellationToken | undefined;
} {
  let answer: (outcome: Awaited<ReturnType<TraceRestorer>> | Error) => void = () => undefined;
  let given: vscode.CancellationToken | undefined;
  const restorer: TraceRestorer = (_restore, cancellation) => {
    given = cancellation;
    return new Promise((resolve, reject) => (answer = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))));
  };
  return { restorer, answer: (outcome) => answer(outcome), cancellation: () => given };
}

/** The state a panel's page keeps for a window reload: `restore` is what the restorer gets. */
const SAVED_STATE = { protocol: PROTOCOL_VERSION, restore: 'a kept trace', selected: 0 };

/**
 * The Swap Race panel restored after a window reload, with the Timelines of a test (not the extension's own, which
 * keeps its panel): the replay of its trace may fail, and the panel may be closed or reused while it runs.
 */
suite('a timeline panel restored after a reload', () => {
  const api = suiteApi();
  let timelines: Timelines | undefined;
  let trace: Trace;

  suiteSetup(async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
    assert.ok(result?.trace);
    trace = result.trace;
    await closeEditors();
  });

  teardown(async () => {
    timelines?.dispose();
    timelines = undefined;
    await closeEditors();
  });

  const restoring = (restorer: TraceRestorer) => {
    timelines = new Timelines(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, restorer);
    const panel = vscode.window.createWebviewPanel(TIMELINE_PANEL_TYPE, 'Swap Race Timeline', vscode.ViewColumn.Active, { enableScripts: true });
    return { panel, restored: timelines.deserializeWebviewPanel(panel, SAVED_STATE) };
  };

  test('closed while its trace is replayed, it stops the replay and is left alone', async () => {
    const { restorer, answer, cancellation } = pendingRestorer();
    const { panel, restored } = restoring(restorer);
    // Closed once the workbench has it open, as a user would.
    await waitFor('the panel to open', () => vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview)));
    assert.strictEqual(cancellation()?.isCancellationRequested, false);
    panel.dispose();
    await waitFor('the replay to be told to stop', () => cancellation()?.isCancellationRequested === true);
    answer({ ok: true, trace });
    await restored;
    assert.strictEqual(timelines!.panel, undefined);
  });

  test('a replay that fails ends the restore (the panel says why) instead of leaving it replaying', async () => {
    const { restorer, answer } = pendingRestorer();
    const { restored } = restoring(restorer);
    answer(new Error('the worker thread exited'));
    await restored;
    assert.strictEqual(timelines!.panel?.trace, undefined);
  });

  test('a trace a run shows while the replay runs is not replaced by the restored one', async () => {
    const { restorer, answer } = pendingRestorer();
    const { restored } = restoring(restorer);
    const newer: Trace = { ...trace };
    timelines!.showInPanel(newer);
    answer({ ok: true, trace });
    await restored;
    assert.strictEqual(timelines!.panel?.trace, newer);
    assert.strictEqual(timelines!.currentTrace, newer);
  });
});
