import assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { longTraceText } from '../e2e/longTrace';
import { CHECK_TIMEOUT_MS, closeEditors, customEditorTab, scratchDir, suiteApi, waitFor } from './helpers';

/** A long trace whose schedule replays to its last step and fails there: reading it keeps a worker busy for a while. */
function longFailingTraceText(): string {
  const { text } = longTraceText();
  const failing = text.replace(/("schedule": "[^"]*)"/, '$1.2"');
  assert.notStrictEqual(failing, text, 'the schedule is lengthened');
  return failing;
}

/** Collects the unhandled promise rejections of the extension host while `body` runs. */
async function unhandledRejectionsDuring(body: () => Promise<void>): Promise<unknown[]> {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
  } finally {
    process.off('unhandledRejection', listener);
  }
  return rejections;
}

suite('trace files and the timeline', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('Save Trace completes a name without the trace suffix, so the file opens in the trace editor', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await api().runScenario({ scenarioId: 'anon-direct-aba', kernel: 'v6.7' });
    const dir = scratchDir();
    for (const [typed, expected] of [['bare', 'bare.swaptrace.json'], ['plain.json', 'plain.swaptrace.json'], ['whole.swaptrace.json', 'whole.swaptrace.json'], ['twice.swaptrace.json.swaptrace.json', 'twice.swaptrace.json']]) {
      const saved = await vscode.commands.executeCommand<vscode.Uri>('swaprace.saveTrace', { file: vscode.Uri.file(path.join(dir, typed)) });
      assert.strictEqual(saved?.fsPath, path.join(dir, expected), typed);
      assert.ok(fs.existsSync(saved.fsPath), typed);
    }
    // A completed name that is taken is not replaced without being chosen.
    fs.writeFileSync(path.join(dir, 'bare.swaptrace.json'), 'the user\'s own work');
    const again = await vscode.commands.executeCommand<vscode.Uri>('swaprace.saveTrace', { file: vscode.Uri.file(path.join(dir, 'bare')) });
    assert.strictEqual(again, undefined);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'bare.swaptrace.json'), 'utf8'), 'the user\'s own work');
  });

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

  test('a malformed trace open in two editors keeps its Problems until the last one closes', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const file = vscode.Uri.file(path.join(scratchDir(), 'split.swaptrace.json'));
    fs.writeFileSync(file.fsPath, '{\n  "format": "swaprace.trace",\n  "version": 1,\n  "schedule": 7\n}\n');
    const problems = () => vscode.languages.getDiagnostics(file).length;
    await vscode.commands.executeCommand('vscode.openWith', file, 'swaprace.traceEditor', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('vscode.openWith', file, 'swaprace.traceEditor', vscode.ViewColumn.Two);
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputCustom && tab.input.uri.toString() === file.toString());
    await waitFor('the file open in two trace editors', () => tabs().length === 2);
    await waitFor('its errors in the Problems panel', () => problems() > 0);
    const shown = problems();
    await vscode.window.tabGroups.close(tabs()[1]);
    await waitFor('one trace editor left', () => tabs().length === 1);
    // Give a wrong clear the time to land before judging.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.strictEqual(problems(), shown, 'the editor still open still shows the errors');
    await vscode.window.tabGroups.close(tabs()[0]);
    await waitFor('the Problems entries to go with the last editor', () => problems() === 0);
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

  test('closing a trace editor while an edit of its file is being read leaves no error and no Problems entries', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const { text, steps } = longTraceText();
    const file = vscode.Uri.file(path.join(scratchDir(), 'long.swaptrace.json'));
    fs.writeFileSync(file.fsPath, text);
    const rejections = await unhandledRejectionsDuring(async () => {
      await vscode.commands.executeCommand('swaprace.openTrace', { file });
      // The page reports a selection once it has loaded the trace.
      await waitFor('the trace editor to show the trace', () => {
        const timeline = api().activeTimeline();
        return timeline?.trace?.steps.length === steps && timeline.selectedStep !== undefined;
      }, 60000);
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
      assert.ok(document, 'the trace file is open as a document');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(file, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), longFailingTraceText());
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the edited text to be read', () => api().traceReadsInFlight > 0);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await waitFor('the trace editor to close', () => !customEditorTab(file));
      await waitFor('its reads to end', () => api().traceReadsInFlight === 0);
    });
    assert.deepStrictEqual(rejections.map(String), []);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(file), []);
  });

  test('closing a trace editor while its file is first read leaves no Problems entries', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const file = vscode.Uri.file(path.join(scratchDir(), 'long-failing.swaptrace.json'));
    fs.writeFileSync(file.fsPath, longFailingTraceText());
    const rejections = await unhandledRejectionsDuring(async () => {
      const opening = vscode.commands.executeCommand('swaprace.openTrace', { file });
      await waitFor('the file to be read', () => api().traceReadsInFlight > 0);
      const tab = await waitFor('the trace editor to open', () => customEditorTab(file));
      await vscode.window.tabGroups.close(tab);
      await opening;
      await waitFor('its reads to end', () => api().traceReadsInFlight === 0);
    });
    assert.deepStrictEqual(rejections.map(String), []);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(file), []);
  });
});
