/**
 * Arguments commands accept besides the palette's none: a Uri (from the explorer or an editor title menu),
 * or a request object (from tests, CodeLens or other extensions). Anything else is ignored, never trusted.
 */
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../core';
import type { ScenarioSource } from './scenarioLibrary';
import { STRATEGY_IDS } from '../core/search/strategies';

/** A request object: every field optional, each checked before use. */
export interface CommandRequest {
  /** A built-in scenario id. */
  scenarioId?: string;
  /** A scenario file, as a Uri or a file-system path. */
  scenarioFile?: vscode.Uri | string;
  kernel?: string;
  /** Several kernel versions (Compare Kernel Versions). */
  kernels?: string[];
  strategy?: string;
  timeoutMs?: number;
  schedule?: string;
  /** Where to write (Save Trace, New Scenario File), or what to open (Open Trace). */
  file?: vscode.Uri | string;
  /** A function name (Open Annotated Source). */
  fn?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);

function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value.length > 0) return value.includes('://') ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
  return undefined;
}

export function requestOf(arg: unknown): CommandRequest {
  if (arg instanceof vscode.Uri) return { file: arg, scenarioFile: arg };
  return isRecord(arg) ? (arg as CommandRequest) : {};
}

export function requestedSource(request: CommandRequest): ScenarioSource | undefined {
  if (typeof request.scenarioId === 'string') return { kind: 'builtin', id: request.scenarioId };
  const uri = toUri(request.scenarioFile);
  return uri ? { kind: 'file', uri } : undefined;
}

export function requestedKernel(request: CommandRequest): string | undefined {
  if (request.kernel === undefined) return undefined;
  if (typeof request.kernel !== 'string' || !KERNEL_IDS.includes(request.kernel)) {
    throw new Error(`unknown kernel version "${String(request.kernel)}" (known: ${KERNEL_IDS.join(', ')})`);
  }
  return request.kernel;
}

export function requestedStrategy(request: CommandRequest): string | undefined {
  if (request.strategy === undefined) return undefined;
  if (typeof request.strategy !== 'string' || !STRATEGY_IDS.includes(request.strategy)) throw new Error(`unknown strategy "${String(request.strategy)}" (known: ${STRATEGY_IDS.join(', ')})`);
  return request.strategy;
}

export function requestedTimeout(request: CommandRequest): number | undefined {
  const timeout = request.timeoutMs;
  return typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0 ? timeout : undefined;
}

export function requestedFile(request: CommandRequest): vscode.Uri | undefined {
  return toUri(request.file);
}
