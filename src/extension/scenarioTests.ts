/**
 * The Testing view: every scenario, built-in or in the workspace, is a test item, with a child per kernel
 * version its `expect` lists. Running a child checks the scenario on that version: it passes when the verdict
 * matches the expectation (for `fail`, when the violation is found, which its output says), fails with the
 * violated property otherwise (and opens the counterexample), and errors when the search stopped at a bound
 * before it could decide.
 */
import * as vscode from 'vscode';
import type { CheckResult } from '../core';
import type { Expectation, Scenario } from '../core/scenario/types';
import { matchesExpectation } from '../core/search/expectation';
import { fieldRange } from './jsonRanges';
import { builtinLibrary, describeSource, loadScenario, sourceKey, type ScenarioSource } from './scenarioLibrary';
import type { ScenarioFileChange } from './scenarioFiles';
import { resultText } from './searchRuns';
import { searchSettings } from './settings';
import type { Swaprace } from './swaprace';

const BUILTIN_GROUP_ID = 'builtin';

export type TestOutcomeState = 'passed' | 'failed' | 'errored';

export interface TestOutcome {
  id: string;
  state: TestOutcomeState;
  message: string;
  /** Where a failure points in the scenario file. */
  location?: vscode.Location;
}

interface KernelTest {
  source: ScenarioSource;
  kernel: string;
  expectation: Expectation;
}

export class ScenarioTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('swaprace', 'Swap Race scenarios');
  private readonly kernelTests = new WeakMap<vscode.TestItem, KernelTest>();
  private readonly lastOutcomes = new Map<string, TestOutcome>();

  constructor(private readonly swaprace: Swaprace) {
    this.controller.createRunProfile('Check', vscode.TestRunProfileKind.Run, async (request, token) => void (await this.run(request, token)), true);
    this.controller.refreshHandler = () => this.swaprace.scenarioFiles.scan();
    this.addBuiltins();
    for (const { uri, result } of swaprace.scenarioFiles.all()) this.onFileChange({ uri, result });
    swaprace.extension.subscriptions.push(swaprace.scenarioFiles.onDidChange((change) => this.onFileChange(change)));
  }

  /** Runs the given test items (all when none are given) and resolves to their outcomes. */
  async runItems(ids?: readonly string[]): Promise<TestOutcome[]> {
    const items = ids?.map((id) => this.find(id) ?? fail(`there is no test item "${id}"`));
    const request = new vscode.TestRunRequest(items);
    const cancellation = new vscode.CancellationTokenSource();
    try {
      const leaves = await this.run(request, cancellation.token);
      return leaves.map((leaf) => this.lastOutcomes.get(leaf.id)!).filter(Boolean);
    } finally {
      cancellation.dispose();
    }
  }

  find(id: string): vscode.TestItem | undefined {
    const search = (collection: vscode.TestItemCollection): vscode.TestItem | undefined => {
      const direct = collection.get(id);
      if (direct) return direct;
      for (const [, item] of collection) {
        const found = search(item.children);
        if (found) return found;
      }
      return undefined;
    };
    return search(this.controller.items);
  }

  dispose(): void {
    this.controller.dispose();
  }

  private addBuiltins(): void {
    const group = this.controller.createTestItem(BUILTIN_GROUP_ID, 'Built-in scenarios');
    group.sortText = '0';
    for (const { source, scenario } of builtinLibrary()) {
      const item = this.controller.createTestItem(sourceKey(source), scenario.id);
      item.description = scenario.title;
      this.setKernelChildren(item, source, scenario, undefined);
      group.children.add(item);
    }
    this.controller.items.add(group);
  }

  private onFileChange({ uri, result }: ScenarioFileChange): void {
    const source: ScenarioSource = { kind: 'file', uri };
    const id = sourceKey(source);
    if (!result || !vscode.workspace.getWorkspaceFolder(uri)) {
      this.controller.items.delete(id);
      return;
    }
    const item = this.controller.items.get(id) ?? this.controller.createTestItem(id, describeSource(source), uri);
    item.sortText = `1${describeSource(source)}`;
    if (result.ok) {
      item.label = result.scenario.id;
      item.description = describeSource(source);
      item.error = undefined;
      item.range = fieldRange(result.text, ['id']);
      this.setKernelChildren(item, source, result.scenario, result.text);
    } else {
      const first = result.errors[0];
      item.label = describeSource(source);
      item.error = `line ${first.line}, column ${first.column}: ${first.field}: ${first.message}`;
      item.children.replace([]);
    }
    this.controller.items.add(item);
  }

  private setKernelChildren(parent: vscode.TestItem, source: ScenarioSource, scenario: Scenario, text: string | undefined): void {
    const children = Object.entries(scenario.expect).map(([kernel, expectation], index) => {
      const child = this.controller.createTestItem(`${parent.id}@${kernel}`, kernel, source.kind === 'file' ? source.uri : undefined);
      child.description = `expect ${expectation}`;
      child.sortText = String(index).padStart(3, '0');
      if (text !== undefined) child.range = fieldRange(text, ['expect', kernel]);
      this.kernelTests.set(child, { source, kernel, expectation });
      return child;
    });
    parent.children.replace(children);
    if (children.length === 0) parent.description = `${parent.description ?? ''} (no "expect": nothing to test)`.trim();
  }

  private leaves(request: vscode.TestRunRequest): vscode.TestItem[] {
    const excluded = new Set(request.exclude?.map((item) => item.id));
    const leaves: vscode.TestItem[] = [];
    const visit = (item: vscode.TestItem): void => {
      if (excluded.has(item.id)) return;
      if (this.kernelTests.has(item)) leaves.push(item);
      item.children.forEach(visit);
    };
    if (request.include) request.include.forEach(visit);
    else this.controller.items.forEach(visit);
    return leaves;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<vscode.TestItem[]> {
    const leaves = this.leaves(request);
    const run = this.controller.createTestRun(request, 'Swap Race', true);
    try {
      for (const leaf of leaves) run.enqueued(leaf);
      await this.swaprace.runs.stoppable(token, async (stopToken) => {
        for (const leaf of leaves) {
          if (stopToken.isCancellationRequested) run.skipped(leaf);
          else await this.runLeaf(run, leaf, stopToken);
        }
      });
    } finally {
      run.end();
    }
    return leaves;
  }

  private async runLeaf(run: vscode.TestRun, item: vscode.TestItem, token: vscode.CancellationToken): Promise<void> {
    const test = this.kernelTests.get(item)!;
    run.started(item);
    const started = Date.now();
    try {
      const loaded = await loadScenario(test.source);
      const result = await this.swaprace.runs.check({ loaded, kernel: test.kernel, settings: searchSettings() }, { notification: false, token });
      if (test.source.kind === 'file' && loaded.text !== undefined && result) {
        this.swaprace.diagnostics.onRunResult(test.source.uri, loaded.text, result, test.expectation);
      }
      this.report(run, item, test, result, Date.now() - started, loaded.text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.record(item, 'errored', message);
      run.errored(item, new vscode.TestMessage(message), Date.now() - started);
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, test: KernelTest, result: CheckResult | undefined, duration: number, text: string | undefined): void {
    const what = `${item.parent?.label ?? ''} on ${test.kernel}`;
    if (!result || result.verdict === 'bounded') {
      const message = `${what}: ${resultText(result)}; nothing can be said against "expect": "${test.expectation}". Raise the bounds (settings swaprace.search.*) or the scenario's "bounds".`;
      this.record(item, 'errored', message);
      run.errored(item, new vscode.TestMessage(message), duration);
      return;
    }
    const found = result.verdict === 'violation';
    if (matchesExpectation(result, test.expectation)) {
      const message = found
        ? `${what}: passed: the expected violation was found (expect: fail): ${result.property}: ${result.message}`
        : `${what}: passed: verified, no property fails in ${result.stats.states.toLocaleString('en-US')} states (expect: pass)`;
      this.record(item, 'passed', message);
      run.appendOutput(`${message}\r\n`, undefined, item);
      run.passed(item, duration);
      return;
    }
    if (found) {
      const message = new vscode.TestMessage(`${result.property} fails on ${test.kernel} (expect: pass): ${result.message}. Schedule ${result.schedule ?? '-'}; the timeline shows the counterexample.`);
      const thread = result.trace && result.trace.violation && result.trace.violation.step >= 0 ? result.trace.steps[result.trace.violation.step]?.thread : undefined;
      if (test.source.kind === 'file' && text !== undefined && result.trace) {
        const range = this.swaprace.diagnostics.violationLocation(test.source.uri, text, result.trace, thread);
        if (range) message.location = new vscode.Location(test.source.uri, range);
      }
      this.record(item, 'failed', message.message as string, message.location);
      run.failed(item, message, duration);
      if (result.trace) this.swaprace.timelines.showInPanel(result.trace);
      return;
    }
    const message = `${what}: expected a violation (expect: fail), but the search verified that no property fails in ${result.stats.states.toLocaleString('en-US')} states.`;
    this.record(item, 'failed', message);
    run.failed(item, new vscode.TestMessage(message), duration);
  }

  private record(item: vscode.TestItem, state: TestOutcomeState, message: string, location?: vscode.Location): void {
    this.lastOutcomes.set(item.id, { id: item.id, state, message, ...(location ? { location } : {}) });
  }
}

function fail(message: string): never {
  throw new Error(message);
}
