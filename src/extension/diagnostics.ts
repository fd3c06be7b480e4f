/**
 * The Problems panel: parse errors of scenario and trace files on the line and column the core reports, and
 * the violation a run found, on the `threads` entry of the thread that made the violating step (or on
 * `properties` when the initial state already fails). A violation stays until its file is edited.
 */
import * as vscode from 'vscode';
import type { CheckResult } from '../core';
import type { ScenarioError } from '../core/scenario/types';
import { fieldRange, tokenRange } from './jsonRanges';
import type { ScenarioFileChange } from './scenarioFiles';

export class SwapraceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('swaprace');
  private readonly parseProblems = new Map<string, vscode.Diagnostic[]>();
  /** The violation of the last run of a file, with the text it ran on. */
  private readonly violations = new Map<string, { text: string; diagnostic: vscode.Diagnostic }>();

  onScenarioFileChange({ uri, result }: ScenarioFileChange): void {
    const key = uri.toString();
    if (!result) {
      this.parseProblems.delete(key);
      this.violations.delete(key);
    } else {
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

  /** Records the outcome of a run of a scenario file: a violation becomes a problem, anything else clears it. */
  onRunResult(uri: vscode.Uri, text: string, result: CheckResult, expectation: 'pass' | 'fail' | undefined): void {
    const key = uri.toString();
    const violation = result.trace?.violation;
    if (result.verdict !== 'violation' || !violation || !result.trace) {
      if (result.verdict === 'verified') this.violations.delete(key);
      this.publish(uri);
      return;
    }
    const thread = violation.step >= 0 ? result.trace.steps[violation.step]?.thread : undefined;
    const range =
      (thread !== undefined ? fieldRange(text, ['threads', thread]) : undefined) ??
      fieldRange(text, ['properties']) ??
      fieldRange(text, ['threads']) ??
      new vscode.Range(0, 0, 0, 1);
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

  dispose(): void {
    this.collection.dispose();
  }

  private errorDiagnostics(text: string, errors: readonly ScenarioError[]): vscode.Diagnostic[] {
    return errors.map((error) => {
      const diagnostic = new vscode.Diagnostic(tokenRange(text, error), `${error.field}: ${error.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'swaprace';
      return diagnostic;
    });
  }

  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const violation = this.violations.get(key)?.diagnostic;
    this.collection.set(uri, [...(this.parseProblems.get(key) ?? []), ...(violation ? [violation] : [])]);
  }
}
