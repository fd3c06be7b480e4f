import assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { CHECK_TIMEOUT_MS, closeEditors, suiteApi, waitFor, withWorkspaceFile, workspaceFolder } from './helpers';

/** Line 5 (0-based 4) gives the device a slot count the parser refuses. */
const MALFORMED = `{
  "id": "malformed",
  "title": "A scenario with a mistake",
  "kernel": "v6.7",
  "device": { "synchronous": true, "slots": "two" },
  "pages": [{ "name": "p0", "initial": "swapped" }],
  "threads": [{ "name": "T0", "ops": [{ "op": "read", "page": "p0" }] }]
}
`;

suite('Problems panel', () => {
  const api = suiteApi();

  teardown(closeEditors);

  test('a malformed scenario file in the workspace gets a diagnostic on the offending value', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await withWorkspaceFile('malformed.swaprace.json', MALFORMED, async (uri) => {
      const [problem] = await waitFor('a diagnostic for the malformed file', () => {
        const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'swaprace');
        return diagnostics.length ? diagnostics : undefined;
      });
      assert.strictEqual(problem.severity, vscode.DiagnosticSeverity.Error);
      assert.match(problem.message, /^device\.slots: /);
      assert.strictEqual(problem.range.start.line, 4);
      assert.strictEqual(MALFORMED.split('\n')[4].slice(problem.range.start.character, problem.range.end.character), '"two"');
    });
  });

  test('an edit in the editor updates the diagnostics before the file is saved', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await withWorkspaceFile('edited.swaprace.json', MALFORMED.replace('"two"', '2'), async (uri) => {
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      await waitFor('the valid file to have no problems', () => vscode.languages.getDiagnostics(uri).length === 0 || undefined);
      await editor.edit((edit) => edit.replace(document.lineAt(3).range, '  "kernel": "v9.9",'));
      const [problem] = await waitFor('a diagnostic for the unsaved edit', () => {
        const diagnostics = vscode.languages.getDiagnostics(uri);
        return diagnostics.length ? diagnostics : undefined;
      });
      assert.strictEqual(problem.range.start.line, 3);
      assert.match(problem.message, /^kernel: /);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });
  });

  test('a violation points at the threads entry of the thread that made the violating step', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const uri = vscode.Uri.joinPath(workspaceFolder(), 'example.swaprace.json');
    const result = await api().runScenario({ scenarioFile: uri, kernel: 'v6.7' });
    assert.strictEqual(result?.verdict, 'violation');
    const violation = await waitFor('the violation in the Problems panel', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'no-stale-install'));
    const document = await vscode.workspace.openTextDocument(uri);
    const thread = result.trace!.threads[result.trace!.steps[result.trace!.violation!.step].thread].name;
    assert.strictEqual(document.getText(violation.range), JSON.stringify(thread));
    assert.strictEqual(violation.severity, vscode.DiagnosticSeverity.Information, 'the scenario expects this violation on v6.7');
    assert.match(violation.message, /expected/);
  });

  test('a violation found in a file edited during its run is placed in the edited text', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const example = fs.readFileSync(vscode.Uri.joinPath(workspaceFolder(), 'example.swaprace.json').fsPath, 'utf8');
    await withWorkspaceFile('edited-during-run.swaprace.json', example, async (uri) => {
      const editor = await vscode.window.showTextDocument(uri);
      // The extension shares this `vscode` API object: the run has read the file when it shows its progress,
      // and its search starts once the edit is in.
      type WithProgress = typeof vscode.window.withProgress;
      const window = vscode.window as { withProgress: WithProgress };
      const original = window.withProgress;
      window.withProgress = (async (options, task) => {
        window.withProgress = original;
        await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '\n\n\n'));
        return original.call(vscode.window, options, task);
      }) as WithProgress;
      try {
        const result = await api().runScenario({ scenarioFile: uri, kernel: 'v6.7' });
        assert.strictEqual(result?.verdict, 'violation');
        assert.strictEqual(editor.document.lineCount, example.split('\n').length + 3, 'the file was edited during the run');
        const violation = await waitFor('the violation in the Problems panel', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'no-stale-install'));
        const thread = result.trace!.threads[result.trace!.steps[result.trace!.violation!.step].thread].name;
        assert.strictEqual(editor.document.getText(violation.range), JSON.stringify(thread));
      } finally {
        window.withProgress = original;
        await vscode.window.showTextDocument(editor.document);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });
  });
});
