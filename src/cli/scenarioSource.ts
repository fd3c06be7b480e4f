/**
 * Where a scenario comes from: a built-in id or a `*.swaprace.json` file, parsed with positioned errors (or one
 * error, when the file is a trace or a result instead).
 */
import { existsSync } from 'node:fs';
import { builtinScenarios, formatScenarioError, getBuiltinScenario, KERNEL_IDS, parseScenario, type Scenario } from '../core';
import { CliError } from './errors';
import { readTextFile } from './files';
import { problemCount, wrongKindOfFile } from './fileKinds';

export interface LoadedScenario {
  scenario: Scenario;
  /** The path as given, when the scenario was read from a file. */
  file?: string;
  /** The file's text, to point SARIF results at lines in it. */
  text?: string;
}

/** A built-in id wins; otherwise the argument is a path. */
export function loadScenario(reference: string): LoadedScenario {
  const builtin = getBuiltinScenario(reference);
  if (builtin) return { scenario: builtin };
  if (!existsSync(reference) && !/[\\/]|\.json$/.test(reference)) {
    const ids = builtinScenarios().map((s) => s.id).join(', ');
    throw new CliError(`unknown scenario "${reference}": not a built-in scenario (${ids}) and not a file`);
  }
  const text = readTextFile(reference, 'scenario');
  const parsed = parseScenario(text, reference, KERNEL_IDS);
  if (!parsed.ok) {
    throw wrongKindOfFile(reference, text, 'scenario') ?? new CliError(`${reference}: the scenario has ${problemCount(parsed.errors.length)}:`, parsed.errors.map(formatScenarioError));
  }
  return { scenario: parsed.scenario, file: reference, text };
}

export function requireKnownKernel(kernel: string): string {
  if (!KERNEL_IDS.includes(kernel)) throw new CliError(`unknown kernel version "${kernel}" (known: ${KERNEL_IDS.join(', ')})`);
  return kernel;
}
