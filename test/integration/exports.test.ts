import assert from 'assert';
import * as vscode from 'vscode';
import { timelineData } from '../../src/extension/timelineData';
import { timelineSvg } from '../../src/extension/timelineSvg';
import { copyInterleaving, copyMarkdownSummary, copySchedule } from '../../src/extension/traceExports';
import { CHECK_TIMEOUT_MS, suiteApi, workspaceFolder } from './helpers';

const MARKUP_THREAD = '<img src=x onerror=alert(1)>T0';

suite('exports of a trace whose names are markup', () => {
  const api = suiteApi();

  const markupTrace = async () => {
    const result = await api().runScenario({ scenarioFile: vscode.Uri.joinPath(workspaceFolder(), 'markup-names.swaprace.json'), kernel: 'v6.7' });
    assert.ok(result?.trace, 'markup-names finds the violation');
    return result.trace;
  };

  test('the SVG is built from the data with every name escaped', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const trace = await markupTrace();
    const svg = timelineSvg(trace);
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(svg.includes('&lt;img src=x onerror=alert(1)&gt;T0'), 'the thread name is there, escaped');
    assert.ok(!svg.includes('<img') && !svg.includes('<script') && !svg.includes('<i>'), 'no markup from the trace survives');
    assert.strictEqual((svg.match(/<rect /g) ?? []).length, trace.steps.length + 1, 'a box per step, and the background');
  });

  test('the schedule, the Markdown summary and the interleaving go to the clipboard', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const trace = await markupTrace();
    await copySchedule(trace);
    assert.strictEqual(await vscode.env.clipboard.readText(), trace.schedule);
    await copyMarkdownSummary(trace);
    const markdown = await vscode.env.clipboard.readText();
    assert.match(markdown, /^# Swap race: /);
    assert.ok(!markdown.includes(MARKUP_THREAD), 'markup in names is escaped in Markdown');
    await copyInterleaving(trace);
    const interleaving = await vscode.env.clipboard.readText();
    assert.match(interleaving, /^markup-names on v6\.7\nschedule /);
    assert.match(interleaving, /<- no-stale-install\n/);
  });

  test('the webview gets names as data, to be set as text, and no states up front', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const trace = await markupTrace();
    const data = timelineData(trace, { restorable: true });
    assert.strictEqual(data.threads[0], MARKUP_THREAD);
    assert.ok(!('states' in data), 'states are fetched step by step');
    assert.strictEqual(data.changed.length, trace.steps.length);
    assert.ok(data.explanation?.parts.length, 'the explanation is computed in the core and sent along');
    assert.ok(data.restore && JSON.parse(data.restore).schedule === trace.schedule, 'the panel can restore the trace by replaying it');
  });
});
