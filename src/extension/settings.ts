/**
 * The extension's settings (`swaprace.*`, declared with descriptions and defaults in package.json), read and
 * checked in one place, against the ranges the CLI checks its flags against. A value of the wrong type or out
 * of range falls back to the default, so a typo in settings.json can never reach the search; the user is
 * warned, once per distinct bad value, naming the setting, the value and what it allows, and it is logged.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../core';
import { SEARCH_OPTION_RANGES as RANGES, type OptionRange } from '../core/search/optionRanges';
import { DEFAULT_STRATEGY, STRATEGY_IDS } from '../core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../core/search/strategy';

const DEFAULT_WORKERS = 2;
/** The most a search's stores take by default: they live outside the JS heap, inside the extension host. */
const DEFAULT_MAX_MEMORY_CAP_MB = 2048;

/** Settings are read on every run: each distinct problem is reported once, not on every read. */
const reportedProblems = new Set<string>();
let problemLog: vscode.LogOutputChannel | undefined;

export interface SearchSettings {
  /** A strategy id of the core's registry (`src/core/search/strategies.ts`). */
  strategy: string;
  seed: number;
  workers: number;
  /** MiB for the search's visited-state tables: always bounded, the search shares the extension host's process. */
  maxMemoryMb: number;
  /** Undefined: the scenario's own bound. */
  maxStates?: number;
  maxDepth?: number;
  timeoutMs?: number;
}

export function searchSettings(): SearchSettings {
  const config = vscode.workspace.getConfiguration('swaprace.search');
  const scenarioBound = "the scenario's own bound";
  const memoryDefault = defaultMaxMemoryMb();
  const settings: SearchSettings = {
    strategy: strategySetting(config),
    seed: integerSetting(config, 'seed', RANGES.seed, `the default, ${DEFAULT_STRATEGY_OPTIONS.seed}`) ?? DEFAULT_STRATEGY_OPTIONS.seed,
    workers: integerSetting(config, 'workers', RANGES.workers, `the default, ${DEFAULT_WORKERS}`) ?? DEFAULT_WORKERS,
    maxMemoryMb: integerSetting(config, 'maxMemoryMb', RANGES.maxMemoryMb, `the default, ${memoryDefault}`) ?? memoryDefault,
  };
  const maxStates = integerSetting(config, 'maxStates', RANGES.maxStates, scenarioBound);
  if (maxStates !== undefined) settings.maxStates = maxStates;
  const maxDepth = integerSetting(config, 'maxDepth', RANGES.maxDepth, scenarioBound);
  if (maxDepth !== undefined) settings.maxDepth = maxDepth;
  const timeoutMs = timeoutSetting(config, scenarioBound);
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  return settings;
}

/** A quarter of the machine's memory, at most DEFAULT_MAX_MEMORY_CAP_MB. */
export function defaultMaxMemoryMb(): number {
  return Math.max(RANGES.maxMemoryMb.min, Math.min(DEFAULT_MAX_MEMORY_CAP_MB, Math.floor(os.totalmem() / 4 / 2 ** 20)));
}

/** The kernel version the pickers offer first, if the user chose one. */
export function defaultKernelSetting(): string | undefined {
  const kernel = vscode.workspace.getConfiguration('swaprace').get<unknown>('defaultKernel');
  if (kernel === undefined || kernel === null || kernel === '') return undefined;
  if (typeof kernel === 'string' && KERNEL_IDS.includes(kernel)) return kernel;
  reportProblem('defaultKernel', kernel, `"" or one of ${KERNEL_IDS.join(', ')}`, "the scenario's own version");
  return undefined;
}

/**
 * A kernel checkout whose real sources step anchors open in, if set: an absolute path, `~` for the home
 * directory, or a path relative to the (first) workspace folder.
 */
export function kernelSourcePathSetting(): string | undefined {
  const value = vscode.workspace.getConfiguration('swaprace').get<unknown>('kernelSourcePath');
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    reportProblem('kernelSourcePath', value, 'the path of a kernel checkout, as a string', 'no kernel checkout');
    return undefined;
  }
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const expanded = trimmed === '~' || /^~[\\/]/.test(trimmed) ? path.join(os.homedir(), trimmed.slice(1)) : trimmed;
  if (path.isAbsolute(expanded)) return expanded;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file') {
    reportProblem('kernelSourcePath', value, 'an absolute path (a relative one needs a workspace folder to start from)', 'no kernel checkout');
    return undefined;
  }
  return path.join(folder.uri.fsPath, expanded);
}

/** The setting problems the user was warned about, in order (for tests). */
export function reportedSettingProblems(): readonly string[] {
  return [...reportedProblems];
}

/** The Swap Race output channel, where setting problems are logged as well as shown. */
export function logSettingProblemsTo(log: vscode.LogOutputChannel): void {
  problemLog = log;
}

function reportProblem(key: string, value: unknown, allowed: string, fallback: string): void {
  const message = `the setting swaprace.${key} is ${JSON.stringify(value) ?? String(value)}, but it must be ${allowed}; using ${fallback} instead.`;
  if (reportedProblems.has(message)) return;
  reportedProblems.add(message);
  problemLog?.warn(message);
  void vscode.window.showWarningMessage(`Swap Race: ${message}`);
}

function strategySetting(config: vscode.WorkspaceConfiguration): string {
  const strategy = config.get<unknown>('strategy');
  if (strategy === undefined || strategy === null) return DEFAULT_STRATEGY;
  if (typeof strategy === 'string' && STRATEGY_IDS.includes(strategy)) return strategy;
  reportProblem('search.strategy', strategy, `one of ${STRATEGY_IDS.join(', ')}`, `the default, ${DEFAULT_STRATEGY}`);
  return DEFAULT_STRATEGY;
}

/** An integer in its range; undefined when unset or null (which these settings allow), or when reported as wrong. */
function integerSetting(config: vscode.WorkspaceConfiguration, key: string, { min, max }: OptionRange, fallback: string): number | undefined {
  const value = config.get<unknown>(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  reportProblem(`search.${key}`, value, `an integer from ${min} to ${max}`, fallback);
  return undefined;
}

/** Seconds here, milliseconds in the core: checked once rounded, as the CLI's --timeout is. */
function timeoutSetting(config: vscode.WorkspaceConfiguration, fallback: string): number | undefined {
  const seconds = config.get<unknown>('timeoutSeconds');
  if (seconds === undefined || seconds === null) return undefined;
  const { min, max } = RANGES.timeoutMs;
  const ms = typeof seconds === 'number' ? Math.round(seconds * 1000) : NaN;
  if (Number.isInteger(ms) && ms >= min && ms <= max) return ms;
  reportProblem('search.timeoutSeconds', seconds, `a number of seconds from ${min / 1000} to ${max / 1000}`, fallback);
  return undefined;
}
