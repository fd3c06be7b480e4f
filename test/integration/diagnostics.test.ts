import assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../../src/core';
import { PROPERTY_IDS, type PropertyId } from '../../src/core/scenario/types';
import { CHECK_TIMEOUT_MS, closeEditors, revertAndClose, suiteApi, waitFor, withWorkspaceFile, workspaceFolder } from './helpers';

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

/**
 * Eight mistakes, each of a kind a JSON Schema can state but for the first (kernels are data): an unknown kernel,
 * a wrong type, a value not in a list, an unknown field, an unknown operation, an operation without its page, an
 * unknown property, a property listed twice. The comma missing after the id tells when the JSON language service
 * has read the file: it reports it, and once it is added, its next diagnostics are those of the finished file.
 */
const MISTAKES = `{
  "id": "doubled"
  "kernel": "v6.9",
  "device": { "slots": "two", "allocator": "first-fit" },
  "devise": {},
  "pages": [{ "name": "p0", "initial": "swapped" }],
  "threads": [{ "name": "T0", "ops": [{ "op": "touch", "page": "p0" }, { "op": "read" }] }],
  "properties": ["no-lost-writes", "fault-completes", "fault-completes"]
}
`;

/** Where each of MISTAKES' mistakes is reported: the parser's position of the offending value or key. */
const MISTAKE_POSITIONS = ['2:12', '3:23', '3:43', '4:2', '6:46', '6:71', '7:17', '7:54'];

/** A completion's label without the quotes of a JSON string. */
const labelOf = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label).replace(/^"(.*)"$/, '$1');

/** The labels of the completions at `position`. */
async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  return list.items.map(labelOf);
}

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
      await revertAndClose(document);
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
        await revertAndClose(editor.document);
      }
    });
  });

  test('each mistake in a scenario file is reported once, by the parser, not again by the JSON Schema', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    await withWorkspaceFile('doubled.swaprace.json', MISTAKES, async (uri) => {
      const editor = await vscode.window.showTextDocument(uri);
      await waitFor('the JSON language service to report the missing comma', () => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'json') || undefined);
      await editor.edit((edit) => edit.insert(new vscode.Position(1, '  "id": "doubled"'.length), ','));
      const diagnostics = await waitFor('the diagnostics of the file with its comma', () => {
        const now = vscode.languages.getDiagnostics(uri);
        const parsed = now.filter((d) => d.source === 'swaprace').length === MISTAKE_POSITIONS.length;
        return parsed && !now.some((d) => d.source === 'json') ? now : undefined;
      });
      const described = diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} [${d.source ?? 'JSON Schema'}] ${d.message}`);
      assert.deepStrictEqual(
        diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.source}`).sort(),
        MISTAKE_POSITIONS.map((position) => `${position} swaprace`).sort(),
        described.join('\n'),
      );
      await revertAndClose(editor.document);
    });
  });

  test('the schema still completes kernel versions, operations and the properties not listed yet, and explains a value on hover', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    const uri = vscode.Uri.joinPath(workspaceFolder(), 'example.swaprace.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const inValue = (pattern: RegExp) => {
      const match = pattern.exec(document.getText());
      assert.ok(match, `${pattern} in example.swaprace.json`);
      return document.positionAt(match.index + match[0].length - 2);
    };
    const kernels = await waitFor('completion of the kernel', async () => {
      const labels = await completionLabels(uri, inValue(/"kernel": "[^"]+"/));
      return labels.length > 0 ? labels : undefined;
    });
    for (const kernel of KERNEL_IDS) assert.ok(kernels.includes(kernel), `${kernel} in ${kernels.join(', ')}`);
    const ops = await completionLabels(uri, inValue(/"op": "[^"]+"/));
    for (const op of ['read', 'write', 'reclaim', 'munmap', 'dontneed', 'fork', 'swapoff']) assert.ok(ops.includes(op), `${op} in ${ops.join(', ')}`);
    // In an entry of "properties": those the file does not list yet, each once.
    const listed = (JSON.parse(document.getText()) as { properties: string[] }).properties;
    const properties = await completionLabels(uri, inValue(/"properties": \[\s*"[^"]+"/));
    assert.deepStrictEqual(properties.filter((label) => PROPERTY_IDS.includes(label as PropertyId)).sort(), PROPERTY_IDS.filter((id) => !listed.includes(id)).sort());
    const [hover] = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, inValue(/"op": "read"/));
    // Markdown, with its punctuation escaped.
    const text = hover?.contents.map((content) => (typeof content === 'string' ? content : content.value)).join('\n').replace(/\\(.)/g, '$1') ?? '';
    assert.match(text, /`read`: Read the page: faults it in if it is swapped out\./);
  });

  test('completing a key whose value is a string puts the cursor between the quotes of that value (a key with examples leaves the choice to value completion)', async function () {
    this.timeout(CHECK_TIMEOUT_MS);
    // Keys being typed: "ti" at the top level (line 2), "o" in an operation (line 5).
    const text = '{\n  "id": "typing",\n  "ti"\n  "pages": [{ "name": "p0" }],\n  "threads": [{ "name": "T0", "ops": [{\n    "o"\n  }] }]\n}\n';
    const topLevel = new vscode.Position(2, 5);
    const inOperation = new vscode.Position(5, 6);
    await withWorkspaceFile('typing.swaprace.json', text, async (uri) => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const completions = async (position: vscode.Position) =>
        (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position)).items;
      await waitFor('key completion', async () => ((await completions(topLevel)).length > 0 ? true : undefined));
      const inserted = async (position: vscode.Position, key: string): Promise<string> => {
        const items = await completions(position);
        const item = items.find((i) => labelOf(i) === key);
        assert.ok(item, `a completion for ${key} among ${items.map(labelOf).join(', ')}`);
        return item.insertText instanceof vscode.SnippetString ? item.insertText.value : String(item.insertText);
      };
      for (const [position, key] of [[topLevel, 'title'], [inOperation, 'op']] as const) {
        const value = await inserted(position, key);
        assert.match(value, new RegExp(`^"${key}": "\\$(1|\\{1\\})"`), `${key}: ${value}`);
      }
      assert.match(await inserted(topLevel, 'kernel'), /^"kernel": \$(1|\{1\})/);
    });
  });
});
