/**
 * Where scenarios come from: the built-in library and the workspace's `*.swaprace.json` files. A file is read
 * from its open editor when there is one, so a run sees unsaved edits, and parsed with positions for the
 * Problems panel.
 */
import * as vscode from 'vscode';
import { builtinScenarios, getBuiltinScenario, KERNEL_IDS, parseScenario } from '../core';
import type { Scenario, ScenarioError } from '../core/scenario/types';
import { openDocument } from './files';

export const SCENARIO_FILE_GLOB = '**/*.swaprace.json';
export const SCENARIO_FILE_SUFFIX = '.swaprace.json';
/** The parser refuses larger files anyway; this keeps a huge file from being read into memory at all. */
const MAX_SCENARIO_FILE_BYTES = 1 << 20;

export type ScenarioSource = { kind: 'builtin'; id: string } | { kind: 'file'; uri: vscode.Uri };

export interface LoadedScenario {
  source: ScenarioSource;
  scenario: Scenario;
  /** The text a file's scenario was parsed from (diagnostics place a violation in it). */
  text?: string;
}

export type ScenarioFileResult =
  | { ok: true; scenario: Scenario; text: string }
  | { ok: false; errors: ScenarioError[]; text?: string };

/** A stable key of a source, used for test item ids and to remember the last run. */
export function sourceKey(source: ScenarioSource): string {
  return source.kind === 'builtin' ? `builtin:${source.id}` : source.uri.toString();
}

export function describeSource(source: ScenarioSource): string {
  return source.kind === 'builtin' ? 'built-in' : vscode.workspace.asRelativePath(source.uri);
}

export function builtinLibrary(): LoadedScenario[] {
  return builtinScenarios().map((scenario) => ({ source: { kind: 'builtin', id: scenario.id }, scenario }));
}

export function isScenarioFile(uri: vscode.Uri): boolean {
  return uri.path.endsWith(SCENARIO_FILE_SUFFIX);
}

export async function findScenarioFiles(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(SCENARIO_FILE_GLOB, '**/node_modules/**', 500);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The text of a scenario file, from its editor if it is open, else from disk. */
async function readScenarioText(uri: vscode.Uri): Promise<string> {
  const open = openDocument(uri);
  if (open) return open.getText();
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > MAX_SCENARIO_FILE_BYTES) {
    throw new Error(`${vscode.workspace.asRelativePath(uri)} is ${size} bytes; a scenario file is at most ${MAX_SCENARIO_FILE_BYTES}`);
  }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export function parseScenarioText(text: string, uri: vscode.Uri): ScenarioFileResult {
  const parsed = parseScenario(text, vscode.workspace.asRelativePath(uri), KERNEL_IDS);
  return parsed.ok ? { ok: true, scenario: parsed.scenario, text } : { ok: false, errors: parsed.errors, text };
}

export async function readScenarioFile(uri: vscode.Uri): Promise<ScenarioFileResult> {
  let text: string;
  try {
    text = await readScenarioText(uri);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ file: vscode.workspace.asRelativePath(uri), line: 1, column: 1, field: '(root)', message }] };
  }
  return parseScenarioText(text, uri);
}

/** The scenario of a source, or an error that says what is wrong with it. */
export async function loadScenario(source: ScenarioSource): Promise<LoadedScenario> {
  if (source.kind === 'builtin') {
    const scenario = getBuiltinScenario(source.id);
    if (!scenario) throw new Error(`there is no built-in scenario "${source.id}"`);
    return { source, scenario };
  }
  const result = await readScenarioFile(source.uri);
  if (!result.ok) {
    const first = result.errors[0];
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more; see the Problems panel)` : '';
    throw new Error(`${first.file}:${first.line}:${first.column}: ${first.field}: ${first.message}${more}`);
  }
  return { source, scenario: result.scenario, text: result.text };
}
