import assert from 'assert';
import * as vscode from 'vscode';
import type { CheckResult } from '../../src/core';
import { CHECK_TIMEOUT_MS, closeEditors, suiteApi } from './helpers';

/**
 * Runs a command and cancels every pick it shows until it settles. A pick opens some time after the command
 * starts, so closing is retried rather than timed.
 */
async function cancellingPicks<T>(command: string, arg?: unknown): Promise<T> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command, arg)).finally(() => (settled = true));
  while (!settled) {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return running;
}

suite('picking a scenario, then a kernel version', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test("a request that names only the scenario runs it without asking: the scenario's own version, the settings' strategy", async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await api().runScenario({ scenarioId: 'anon-direct-aba' });
    assert.deepStrictEqual([result?.kernel, result?.strategy], ['v6.7', 'portfolio']);
  });

  test('cancelling the scenario or the version pick does nothing, and Run Again still repeats the run before', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const before = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.8' });
    assert.strictEqual(before?.verdict, 'verified', before?.message);
    assert.strictEqual(await cancellingPicks('swaprace.runScenario'), undefined, 'Run Scenario, cancelled at the scenario');
    assert.strictEqual(await cancellingPicks('swaprace.replaySchedule'), undefined, 'Replay Schedule, cancelled at the scenario');
    assert.strictEqual(await cancellingPicks('swaprace.replaySchedule', { scenarioId: 'anon-direct-aba' }), undefined, 'Replay Schedule, cancelled at the version');
    assert.strictEqual(await cancellingPicks('swaprace.compareKernels', { scenarioId: 'anon-direct-aba' }), undefined, 'Compare, cancelled at the versions');
    assert.strictEqual(api().runningSearches, 0);
    const again = await vscode.commands.executeCommand<CheckResult>('swaprace.runAgain');
    assert.deepStrictEqual([again?.kernel, again?.verdict], ['v6.8', 'verified']);
  });
});
