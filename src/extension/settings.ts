/**
 * The extension's settings (`swaprace.*`, declared with descriptions and defaults in package.json), read and
 * checked in one place, against the ranges the CLI checks its flags against. A value out of range falls back
 * to the default, so a typo in settings.json can never reach the search.
 */
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../core';
import { SEARCH_OPTION_RANGES as RANGES, type OptionRange } from '../core/search/optionRanges';
import { DEFAULT_STRATEGY, STRATEGY_IDS } from '../core/search/strategies';

export interface SearchSettings {
  /** A strategy id of the core's registry (`src/core/search/strategies.ts`). */
  strategy: string;
  seed: number;
  workers: number;
  /** Undefined: the scenario's own bound. */
  maxStates?: number;
  maxDepth?: number;
  timeoutMs?: number;
}

export function searchSettings(): SearchSettings {
  const config = vscode.workspace.getConfiguration('swaprace.search');
  const strategy = config.get<string>('strategy');
  const settings: SearchSettings = {
    strategy: strategy && STRATEGY_IDS.includes(strategy) ? strategy : DEFAULT_STRATEGY,
    seed: integer(config.get('seed'), RANGES.seed) ?? 1,
    workers: integer(config.get('workers'), RANGES.workers) ?? 2,
  };
  const maxStates = integer(config.get('maxStates'), RANGES.maxStates);
  if (maxStates !== undefined) settings.maxStates = maxStates;
  const maxDepth = integer(config.get('maxDepth'), RANGES.maxDepth);
  if (maxDepth !== undefined) settings.maxDepth = maxDepth;
  // Seconds here, milliseconds in the core: checked once rounded, as the CLI's --timeout is.
  const timeoutSeconds = config.get<unknown>('timeoutSeconds');
  const timeoutMs = typeof timeoutSeconds === 'number' ? integer(Math.round(timeoutSeconds * 1000), RANGES.timeoutMs) : undefined;
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  return settings;
}

/** The kernel version the pickers offer first, if the user chose one. */
export function defaultKernelSetting(): string | undefined {
  const kernel = vscode.workspace.getConfiguration('swaprace').get<string>('defaultKernel');
  return kernel && KERNEL_IDS.includes(kernel) ? kernel : undefined;
}

/** A kernel checkout whose real sources step anchors open in, if set. */
export function kernelSourcePathSetting(): string | undefined {
  const path = vscode.workspace.getConfiguration('swaprace').get<string>('kernelSourcePath')?.trim();
  return path ? path : undefined;
}

function integer(value: unknown, { min, max }: OptionRange): number | undefined {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : undefined;
}
