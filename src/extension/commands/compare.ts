/**
 * Compare Kernel Versions...: one scenario on several versions, one after another under one cancellable
 * progress; the verdicts (against the scenario's expectations) are logged and shown as a table in a document
 * beside the editor (comparisonDocuments.ts), whose CodeLenses show each counterexample's timeline.
 */
import * as vscode from 'vscode';
import { KERNEL_IDS } from '../../core';
import type { KernelComparison } from '../../core/search/comparison';
import { matchesExpectation } from '../../core/search/expectation';
import { Commands } from '../commandIds';
import { requestedStrategy, requestOf } from '../commandArgs';
import { chooseScenario, pickKernels, stepTitle } from '../pickers';
import { resultText } from '../searchRuns';
import { searchSettings } from '../settings';
import type { Swaprace } from '../swaprace';

const TITLE = 'Swap Race: Compare Kernel Versions';

export function registerCompareCommand(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.compareKernels, 'Compare Kernel Versions', (arg?: unknown) => compareKernels(swaprace, arg));
  swaprace.registerCommand(Commands.showComparedCounterexample, 'Show Counterexample', (uri?: unknown, kernel?: unknown) => showCounterexample(swaprace, uri, kernel));
}

async function compareKernels(swaprace: Swaprace, arg: unknown): Promise<KernelComparison[] | undefined> {
  const request = requestOf(arg);
  const requestedKernels = requestedKernelList(request.kernels);
  const chosen = await chooseScenario(swaprace.scenarioFiles, request, TITLE, 2);
  if (!chosen) return undefined;
  const { loaded } = chosen;
  const kernels = requestedKernels ?? (await pickKernels(loaded.scenario, stepTitle(TITLE, 2, 2, loaded.scenario.id)));
  if (!kernels?.length) return undefined;
  const strategy = requestedStrategy(request);
  const settings = { ...searchSettings(), ...(strategy ? { strategy } : {}) };
  const comparisons = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Swap Race: comparing ${loaded.scenario.id}`, cancellable: true },
    (progress, cancelButton) =>
      swaprace.runs.stoppable(cancelButton, async (token) => {
        const done: KernelComparison[] = [];
        for (const [i, kernel] of kernels.entries()) {
          if (token.isCancellationRequested) break;
          progress.report({ message: `${kernel} (${i + 1} of ${kernels.length})`, increment: 100 / kernels.length });
          const result = await swaprace.runs.check({ loaded, kernel, settings }, { notification: false, token });
          done.push({ kernel, expected: loaded.scenario.expect[kernel], ...(result ? { result } : {}) });
        }
        return done;
      }),
  );
  swaprace.log.info(`comparison of ${loaded.scenario.id}:\n${comparisons.map((c) => `  ${c.kernel.padEnd(18)} ${verdictLine(c)}`).join('\n')}`);
  await swaprace.comparisons.show(loaded.scenario, comparisons, kernels.slice(comparisons.length));
  return comparisons;
}

/** The versions a request names (undefined: ask), refused as a whole when one is not a version we model. */
function requestedKernelList(kernels: unknown): string[] | undefined {
  if (kernels === undefined) return undefined;
  if (!Array.isArray(kernels)) throw new Error(`"kernels" must be a list of kernel versions (known: ${KERNEL_IDS.join(', ')})`);
  const unknown = kernels.filter((kernel) => typeof kernel !== 'string' || !KERNEL_IDS.includes(kernel));
  if (unknown.length > 0) {
    throw new Error(`unknown kernel version${unknown.length === 1 ? '' : 's'} ${unknown.map((kernel) => JSON.stringify(kernel)).join(', ')} (known: ${KERNEL_IDS.join(', ')})`);
  }
  return kernels as string[];
}

function verdictLine(c: KernelComparison): string {
  const matches = matchesExpectation(c.result, c.expected);
  const expectation = c.expected ? (matches === undefined ? ` (expected ${c.expected})` : matches ? ` (as expected: ${c.expected})` : ` (UNEXPECTED: expected ${c.expected})`) : '';
  return `${resultText(c.result)}${expectation}`;
}

/** The CodeLens of a row in a comparison: shows that version's counterexample in the timeline. */
function showCounterexample(swaprace: Swaprace, uri: unknown, kernel: unknown): void {
  const trace = typeof uri === 'string' && typeof kernel === 'string' ? swaprace.comparisons.counterexample(uri, kernel) : undefined;
  if (!trace) throw new Error(`this comparison has no counterexample of ${String(kernel)} any more: run Compare Kernel Versions again`);
  swaprace.timelines.showInPanel(trace);
}
