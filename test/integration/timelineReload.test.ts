import assert from 'assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core';
import type { SwapraceApi } from '../../src/extension/extension';
import { CHECK_TIMEOUT_MS, closeEditors, runS1InTimeline, suiteApi, waitFor, workspaceFolder } from './helpers';

/** The tab of the Swap Race panel (a webview tab's view type carries a prefix). */
function timelineTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('swaprace.timeline'));
}

/** Runs S1 into the panel, then hides the panel behind an editor in its group; the run's result. */
async function s1InHiddenTimeline(api: SwapraceApi): Promise<CheckResult> {
  const result = await runS1InTimeline(api);
  const tab = timelineTab();
  assert.ok(tab, 'the panel has a tab');
  // Its webview is discarded while hidden (it does not retain its context) and reloads when shown.
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder(), 'swap_stub.c'));
  await vscode.window.showTextDocument(document, { viewColumn: tab.group.viewColumn, preview: false });
  await waitFor('the panel to be hidden', () => timelineTab()?.isActive === false);
  return result;
}

suite('a timeline panel hidden behind an editor', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('is loaded again with its trace when shown, and follows Select Step', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await s1InHiddenTimeline(api());
    await vscode.commands.executeCommand('swaprace.showTimeline');
    await waitFor('the panel to be shown', () => timelineTab()?.isActive);
    const target = result.trace!.violation!.step === 0 ? 1 : 0;
    await vscode.commands.executeCommand('swaprace.selectStep', target);
    await waitFor('the reloaded timeline to select the step', () => api().activeTimeline()?.selectedStep === target);
    assert.strictEqual(api().activeTimeline()?.trace?.schedule, result.schedule);
  });

  test('Select Step (a CodeLens click) shows the hidden timeline with that step selected', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await s1InHiddenTimeline(api());
    const target = result.trace!.violation!.step === 0 ? 1 : 0;
    await vscode.commands.executeCommand('swaprace.selectStep', target);
    await waitFor('the panel to be shown', () => timelineTab()?.isActive);
    await waitFor('the reloaded timeline to select the step', () => api().activeTimeline()?.selectedStep === target);
  });
});
