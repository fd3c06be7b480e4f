/**
 * The extension's settings (`swaprace.*`, declared with descriptions and defaults in package.json), read and
 * checked in one place. A value out of range falls back to the default, so a typo in settings.json can
 * never reach the search.
 */
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../core';
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

const MAX_SEED = 2 ** 32 - 1;

export function searchSettings(): SearchSettings {
  const config = vscode.workspace.getConfiguration('swaprace.search');
  const strategy = config.get<string>('strategy');
  const settings: SearchSettings = {
    strategy: strategy && STRATEGY_IDS.includes(strategy) ? strategy : DEFAULT_STRATEGY,
    seed: integer(config.get('seed'), 0, MAX_SEED) ?? 1,
    workers: integer(config.get('workers'), 1, 64) ?? 2,
  };
  const maxStates = integer(config.get('maxStates'), 1, 1_000_000_000);
  if (maxStates !== undefined) settings.maxStates = maxStates;
  const maxDepth = integer(config.get('maxDepth'), 1, 10_000);
  if (maxDepth !== undefined) settings.maxDepth = maxDepth;
  const timeoutSeconds = config.get<unknown>('timeoutSeconds');
  if (typeof timeoutSeconds === 'number' && timeoutSeconds > 0 && timeoutSeconds <= 86_400) settings.timeoutMs = Math.round(timeoutSeconds * 1000);
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

function integer(value: unknown, min: number, max: number): number | undefined {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max ? (value as number) : undefined;
}
