/**
 * The Problems panel: parse errors of scenario and trace files on the line and column the core reports, and
 * the violation a run found, on the `threads` entry of the thread that made the violating step (or on
 * `properties` when the initial state already fails). A violation stays until its file is edited; one found
 * in a file edited during its run is placed in the edited text, by the thread's name, or not shown.
 */
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { CheckResult } from '../core';
import type { Trace } from '../core/trace/types';
import type { ScenarioError } from '../core/scenario/types';
import { openDocument } from './files';
import { fieldRange, tokenRange } from './jsonRanges';
import type { ScenarioFileChange } from './scenarioFiles';

export class SwapraceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('swaprace');
  private readonly parseProblems = new Map<string, vscode.Diagnostic[]>();
  /** The violation of the last run of a file, with the text it ran on. */
  private readonly violations = new Map<string, { text: string; diagnostic: vscode.Diagnostic }>();
  /** The text of each scenario file as last parsed, for a file that is not open in an editor. */
  private readonly fileTexts = new Map<string, string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  onScenarioFileChange({ uri, result }: ScenarioFileChange): void {
    const key = uri.toString();
    if (!result) {
      this.parseProblems.delete(key);
      this.violations.delete(key);
      this.fileTexts.delete(key);
    } else {
      if (result.text === undefined) this.fileTexts.delete(key);
      else this.fileTexts.set(key, result.text);
      this.parseProblems.set(key, result.ok ? [] : this.errorDiagnostics(result.text ?? '', result.errors));
      if (this.violations.get(key)?.text !== result.text) this.violations.delete(key);
    }
    this.publish(uri);
  }

  /** Errors of a file the core parsed (a scenario or a trace), replacing earlier ones. */
  setParseErrors(uri: vscode.Uri, text: string, errors: readonly ScenarioError[]): void {
    this.parseProblems.set(uri.toString(), this.errorDiagnostics(text, errors));
    this.publish(uri);
  }

  clear(uri: vscode.Uri): void {
    this.parseProblems.delete(uri.toString());
    this.violations.delete(uri.toString());
    this.publish(uri);
  }

  /**
   * Records the outcome of a run of a scenario file (`ranText`, its text when the run started): a violation
   * becomes a problem, anything else clears it.
   */
  onRunResult(uri: vscode.Uri, ranText: string, result: CheckResult, expectation: 'pass' | 'fail' | undefined): void {
    const key = uri.toString();
    const violation = result.trace?.violation;
    if (result.verdict !== 'violation' || !violation || !result.trace) {
      if (result.verdict === 'verified') this.violations.delete(key);
      this.publish(uri);
      return;
    }
    const thread = violation.step >= 0 ? result.trace.steps[violation.step]?.thread : undefined;
    const text = this.currentText(uri) ?? ranText;
    const range = this.violationRange(text, ranText, result.trace, thread);
    if (!range) {
      this.log.info(
        `the violation found on ${result.kernel} in ${vscode.workspace.asRelativePath(uri)} is not shown in the Problems panel: ` +
          `the file was edited during the run and no longer has the thread "${result.trace.threads[thread!]?.name}"`,
      );
      this.violations.delete(key);
      this.publish(uri);
      return;
    }
    const who = thread !== undefined ? `${result.trace.threads[thread]?.name ?? `thread ${thread}`} at step ${violation.step + 1}` : 'the initial state';
    const expected = expectation === 'fail' ? ' (expected: "expect" says fail on this version)' : '';
    const diagnostic = new vscode.Diagnostic(
      range,
      `${violation.property} fails on ${result.kernel}: ${violation.message}. Found by ${who}; schedule ${result.trace.schedule}${expected}`,
      expectation === 'fail' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = 'swaprace';
    diagnostic.code = violation.property;
    this.violations.set(key, { text, diagnostic });
    this.publish(uri);
  }

  /**
   * Where the violation of a run of a scenario file (`ranText`, its text when the run started) goes in the
   * file's text now: the entry of `thread` (undefined: the initial state), or undefined when an edit made
   * during the run removed that thread. The Problems entry and the Testing view's failure both go there.
   */
  violationLocation(uri: vscode.Uri, ranText: string, trace: Trace, thread: number | undefined): vscode.Range | undefined {
    return this.violationRange(this.currentText(uri) ?? ranText, ranText, trace, thread);
  }

  dispose(): void {
    this.collection.dispose();
  }

  private violationRange(text: string, ranText: string, trace: Trace, thread: number | undefined): vscode.Range | undefined {
    return text === ranText ? violationRange(text, thread) : editedViolationRange(text, trace, thread);
  }

  private errorDiagnostics(text: string, errors: readonly ScenarioError[]): vscode.Diagnostic[] {
    return errors.map((error) => {
      const diagnostic = new vscode.Diagnostic(tokenRange(text, error), `${error.field}: ${error.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'swaprace';
      return diagnostic;
    });
  }

  /** The text of a file now: its editor's (maybe unsaved), else as last parsed. */
  private currentText(uri: vscode.Uri): string | undefined {
    const open = openDocument(uri);
    return open?.getText() ?? this.fileTexts.get(uri.toString());
  }

  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const violation = this.violations.get(key)?.diagnostic;
    this.collection.set(uri, [...(this.parseProblems.get(key) ?? []), ...(violation ? [violation] : [])]);
  }
}

/** Where the violation of `thread` (undefined: of the initial state) goes in the text it was found in. */
function violationRange(text: string, thread: number | undefined): vscode.Range {
  return (
    (thread !== undefined ? fieldRange(text, ['threads', thread]) : undefined) ??
    fieldRange(text, ['properties']) ??
    fieldRange(text, ['threads']) ??
    new vscode.Range(0, 0, 0, 1)
  );
}

/**
 * Where it goes in a text edited since: the entry of the thread of the same name (threads may have moved),
 * or undefined when there is none.
 */
function editedViolationRange(text: string, trace: Trace, thread: number | undefined): vscode.Range | undefined {
  if (thread === undefined) return violationRange(text, undefined);
  const name = trace.threads[thread]?.name;
  const threads: unknown = parse(text)?.threads;
  const index = Array.isArray(threads) ? threads.findIndex((entry: unknown) => (entry as { name?: unknown } | null)?.name === name) : -1;
  return index < 0 ? undefined : fieldRange(text, ['threads', index]);
}
