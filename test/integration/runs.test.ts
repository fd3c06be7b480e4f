import assert from 'assert';
import * as vscode from 'vscode';
import { KERNEL_IDS, type CheckResult } from '../../src/core';
import type { Trace } from '../../src/core/trace/types';
import type { KernelComparison } from '../../src/core/search/comparison';
import { afterStop, CHECK_TIMEOUT_MS, closeEditors, longScenarioFile, shownComparison, suiteApi, waitFor } from './helpers';

suite('running searches', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('anon-direct-aba on v6.7 finds the ABA violation and shows it in a strict-CSP timeline', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
    assert.strictEqual(result?.verdict, 'violation', result?.message);
    assert.strictEqual(result.property, 'no-stale-install');
    assert.ok(result.trace, 'a violation comes with a trace');
    const html = api().timelineHtml() ?? '';
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    const shown = await waitFor('the panel to show the trace', () => api().activeTimeline()?.trace);
    assert.strictEqual(shown.schedule, result.schedule);
  });

  test('anon-direct-aba on v6.8 (commit 13ddaf26be32) is verified', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.8' });
    assert.strictEqual(result?.verdict, 'verified', result?.message);
    assert.strictEqual(result.trace, undefined);
  });

  test('Run Again repeats the last run', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await api().runScenario({ scenarioId: 'zswap-exclusive-load', kernel: 'v6.7' });
    const again = await vscode.commands.executeCommand<CheckResult>('swaprace.runAgain');
    assert.strictEqual(again?.verdict, 'violation');
    assert.strictEqual(again.trace?.scenario.id, 'zswap-exclusive-load');
  });

  test('Stop cancels a long search: it answers "stopped: cancelled" within seconds', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const started = Date.now();
    const running = api().runScenario({ scenarioFile: longScenarioFile(), kernel: 'v6.8', strategy: 'reference' });
    await waitFor('the search to start', () => api().runningSearches > 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.strictEqual(await vscode.commands.executeCommand('swaprace.stop'), 1, 'one search was running');
    const result = await running;
    const elapsed = Date.now() - started;
    assert.strictEqual(result?.verdict, 'bounded');
    assert.strictEqual(result.bound, 'cancelled');
    assert.ok(result.stats.states > 0, 'the search had explored states before it stopped');
    assert.ok(elapsed < 15000, `stopped after ${elapsed} ms`);
    assert.strictEqual(api().runningSearches, 0);
  });

  test('Replay Schedule rebuilds a counterexample from its printable schedule', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const found = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
    const replayed = await vscode.commands.executeCommand<Trace>('swaprace.replaySchedule', { scenarioId: 'anon-direct-aba', kernel: 'v6.7', schedule: found!.schedule });
    assert.deepStrictEqual(replayed?.violation, found!.trace!.violation);
    assert.deepStrictEqual(replayed.steps.map((s) => s.stepId), found!.trace!.steps.map((s) => s.stepId));
  });

  test('Compare Kernel Versions runs one scenario on several versions', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const comparisons = await vscode.commands.executeCommand<KernelComparison[]>('swaprace.compareKernels', {
      scenarioId: 'anon-direct-aba',
      kernels: ['v6.7', 'v6.8'],
    });
    assert.deepStrictEqual(comparisons?.map((c) => [c.kernel, c.expected, c.result?.verdict]), [
      ['v6.7', 'fail', 'violation'],
      ['v6.8', 'pass', 'verified'],
    ]);
  });

  test('Compare Kernel Versions refuses unknown versions by name, listing the known ones, and runs nothing', async () => {
    type ShowError = (message: string, ...items: string[]) => Thenable<string | undefined>;
    const window = vscode.window as unknown as { showErrorMessage: ShowError };
    const original = window.showErrorMessage;
    const errors: string[] = [];
    window.showErrorMessage = (message, ...items) => {
      errors.push(message);
      return original.call(vscode.window, message, ...items);
    };
    try {
      for (const kernels of [['v6.7', 'v9.9'], ['v9.9', 'linus']]) {
        errors.length = 0;
        assert.strictEqual(await vscode.commands.executeCommand('swaprace.compareKernels', { scenarioId: 'anon-direct-aba', kernels }), undefined);
        const unknown = kernels.filter((kernel) => !KERNEL_IDS.includes(kernel));
        assert.deepStrictEqual(errors, [
          `Swap Race: Compare Kernel Versions: unknown kernel version${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${KERNEL_IDS.join(', ')})`,
        ]);
        assert.strictEqual(api().runningSearches, 0);
      }
    } finally {
      window.showErrorMessage = original;
    }
  });

  test('Stop ends Compare Kernel Versions: it returns within seconds, without running the other versions', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const kernels = ['v6.8', ...KERNEL_IDS.filter((kernel) => kernel !== 'v6.8')];
    const comparing = vscode.commands.executeCommand<KernelComparison[]>('swaprace.compareKernels', { scenarioFile: longScenarioFile(), kernels, strategy: 'reference' });
    await waitFor('the first search to start', () => api().runningSearches > 0);
    await vscode.commands.executeCommand('swaprace.stop');
    const comparisons = await afterStop(comparing, 'the comparison');
    assert.ok(comparisons && comparisons.length <= 1, `ran ${comparisons?.map((c) => c.kernel).join(', ')}`);
    assert.strictEqual(api().runningSearches, 0);
    const report = shownComparison()?.document.getText() ?? '';
    assert.ok(report.includes(`\nnot run (stopped): ${kernels.slice(comparisons.length).join(', ')}\n`), report);
  });
});
