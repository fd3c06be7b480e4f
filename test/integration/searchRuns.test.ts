import assert from 'assert';
import * as os from 'os';
import * as vscode from 'vscode';
import { checkScenario, getBuiltinScenario, KERNEL_IDS, parseScenario } from '../../src/core';
import { effectiveOptions, resultText, SearchRuns, type RunStatus } from '../../src/extension/searchRuns';
import { reportedSettingProblems, searchSettings } from '../../src/extension/settings';
import type { LoadedScenario } from '../../src/extension/scenarioLibrary';
import { CHECK_TIMEOUT_MS, LONG_SCENARIO, suiteApi, waitFor, withWorkspaceSettings, workerPath } from './helpers';

const ABA: LoadedScenario = { source: { kind: 'builtin', id: 'anon-direct-aba' }, scenario: getBuiltinScenario('anon-direct-aba')! };

function longSearch(): LoadedScenario {
  const parsed = parseScenario(JSON.stringify(LONG_SCENARIO), 'long-search.swaprace.json', KERNEL_IDS);
  assert.ok(parsed.ok);
  return { source: { kind: 'builtin', id: LONG_SCENARIO.id }, scenario: parsed.scenario };
}

/** The SearchRuns of a test, with a status bar that records what it was told to show. */
suite('searches run by the extension', () => {
  suiteApi();

  test('the status bar says a search finished only once none is running', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const shown: string[] = [];
    const status: RunStatus = {
      running: (what) => shown.push(`running ${what}`),
      finished: (what, result) => shown.push(`finished ${what}: ${result?.verdict ?? 'stopped'}`),
    };
    const log = vscode.window.createOutputChannel('Swap Race (test runs)', { log: true });
    const runs = new SearchRuns(workerPath(), log, status);
    try {
      const long = runs.check({ loaded: longSearch(), kernel: 'v6.8', settings: { ...searchSettings(), strategy: 'reference' } }, { notification: false });
      await waitFor('the long search to start', () => runs.running === 1);
      const short = await runs.check({ loaded: ABA, kernel: 'v6.7', settings: searchSettings() }, { notification: false });
      assert.strictEqual(short?.verdict, 'violation');
      assert.strictEqual(shown.at(-1), 'running long-search on v6.8', 'the long search still runs');
      assert.strictEqual(runs.stopAll(), 1);
      assert.strictEqual((await long)?.bound, 'cancelled');
      assert.strictEqual(shown.at(-1), 'finished long-search on v6.8: bounded');
    } finally {
      runs.dispose();
      log.dispose();
    }
  });

  test('a verified run says what it covers: every interleaving up to the depth bound, searched exhaustively', () => {
    const verified = checkScenario(ABA.scenario, { kernel: 'v6.8' });
    assert.strictEqual(verified.verdict, 'verified');
    assert.match(resultText(verified), new RegExp(`^verified: no interleaving up to depth ${verified.limits.maxDepth} breaks a property \\(exhaustive portfolio search: [\\d,]+ states`));
  });

  test('every search has a memory bound: the setting, else a quarter of the memory up to 2 GiB', async () => {
    const unset = effectiveOptions({ loaded: ABA, kernel: 'v6.7', settings: searchSettings() });
    assert.strictEqual(unset.maxMemoryMb, Math.min(2048, Math.floor(os.totalmem() / 4 / 2 ** 20)));
    await withWorkspaceSettings({ 'swaprace.search.maxMemoryMb': 512 }, async () => {
      assert.strictEqual(effectiveOptions({ loaded: ABA, kernel: 'v6.7', settings: searchSettings() }).maxMemoryMb, 512);
    });
    await withWorkspaceSettings({ 'swaprace.search.maxMemoryMb': 'lots' }, async () => {
      assert.strictEqual(effectiveOptions({ loaded: ABA, kernel: 'v6.7', settings: searchSettings() }).maxMemoryMb, unset.maxMemoryMb);
      assert.ok(reportedSettingProblems().some((problem) => problem.startsWith('the setting swaprace.search.maxMemoryMb is "lots"')));
    });
  });
});
