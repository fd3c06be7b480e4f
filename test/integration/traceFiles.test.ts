import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CHECK_TIMEOUT_MS, closeEditors, scratchDir, suiteApi, waitFor } from './helpers';

suite('trace files and the timeline', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('a saved trace opens in the trace editor with the same steps, verdict and violation', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
    const original = result!.trace!;
    const file = vscode.Uri.file(path.join(scratchDir(), 'aba.swaptrace.json'));
    const saved = await vscode.commands.executeCommand<vscode.Uri>('swaprace.saveTrace', { file });
    assert.strictEqual(saved?.fsPath, file.fsPath);
    const onDisk = JSON.parse(fs.readFileSync(file.fsPath, 'utf8'));
    assert.strictEqual(onDisk.format, 'swaprace.trace');
    assert.strictEqual(onDisk.schedule, original.schedule);

    await vscode.commands.executeCommand('swaprace.openTrace', { file });
    const opened = await waitFor('the trace editor to replay the file', () => {
      const timeline = api().activeTimeline();
      return timeline?.trace && timeline.trace !== original ? timeline.trace : undefined;
    });
    assert.strictEqual(opened.verdict, original.verdict);
    assert.strictEqual(opened.schedule, original.schedule);
    assert.deepStrictEqual(opened.violation, original.violation);
    assert.deepStrictEqual(opened.steps, original.steps);
    assert.deepStrictEqual(opened.states, original.states);
  });

  test('a hostile trace file shows positioned errors, leaves the file alone, and the host keeps working', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const text = '{\n  "format": "swaprace.trace",\n  "version": 1,\n  "kernel": "v6.7",\n  "verdict": "violation",\n  "schedule": "0.<img src=x onerror=alert(1)>",\n  "scenario": {"id": "x"}\n}\n';
    const file = vscode.Uri.file(path.join(scratchDir(), 'hostile.swaptrace.json'));
    fs.writeFileSync(file.fsPath, text);
    await vscode.commands.executeCommand('swaprace.openTrace', { file });
    const problems = await waitFor('positioned errors in the Problems panel', () => {
      const diagnostics = vscode.languages.getDiagnostics(file);
      return diagnostics.length > 0 ? diagnostics : undefined;
    });
    const schedule = problems.find((d) => d.message.startsWith('schedule'));
    assert.ok(schedule, `a problem names the schedule: ${problems.map((d) => d.message).join(' | ')}`);
    assert.strictEqual(schedule.range.start.line, 5, 'on the schedule line');
    assert.strictEqual(fs.readFileSync(file.fsPath, 'utf8'), text, 'the file is unchanged');
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath);
    assert.strictEqual(document?.isDirty, false);
    const result = await api().runScenario({ scenarioId: 'direct-pin-retry', kernel: 'v6.7' });
    assert.strictEqual(result?.verdict, 'violation', 'the extension still runs searches');
  });

  test('Step Forward and Step Back move the selection of the focused timeline', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const result = await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
    const violating = result!.trace!.violation!.step;
    // The webview selects the violating step once it has drawn the trace, and tells the host.
    await waitFor('the webview to select the violating step', () => api().activeTimeline()?.selectedStep === violating);
    await vscode.commands.executeCommand('swaprace.stepBack');
    await waitFor('Step Back to select the step before', () => api().activeTimeline()?.selectedStep === violating - 1);
    await vscode.commands.executeCommand('swaprace.stepForward');
    await waitFor('Step Forward to select the violating step again', () => api().activeTimeline()?.selectedStep === violating);
  });
});
