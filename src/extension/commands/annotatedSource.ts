/** Open Annotated Source...: a modelled function's condensed, annotated rendering for a kernel version. */
import * as vscode from 'vscode';
import { listKernels } from '../../core';
import { snippetFor, snippetFunctions } from '../../core/source';
import { Commands } from '../commandIds';
import { requestedKernel, requestOf } from '../commandArgs';
import { LATER_STEP } from '../pickers';
import { defaultKernelSetting } from '../settings';
import { openSnippet } from '../sourceDocuments';
import type { Swaprace } from '../swaprace';

const TITLE = 'Swap Race: Open Annotated Source';

export function registerAnnotatedSourceCommand(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.openAnnotatedSource, 'Open Annotated Source', (arg?: unknown) => openAnnotatedSource(swaprace, arg));
}

async function openAnnotatedSource(swaprace: Swaprace, arg: unknown): Promise<vscode.TextDocument | undefined> {
  const request = requestOf(arg);
  const kernels = listKernels();
  // The version of the trace at hand, else the setting, else the newest modelled one.
  const preferred = swaprace.timelines.currentTrace?.kernel ?? defaultKernelSetting() ?? kernels[kernels.length - 1].id;
  const fn =
    typeof request.fn === 'string'
      ? request.fn
      : (
          await vscode.window.showQuickPick(
            snippetFunctions().map((name) => ({ label: name, description: snippetFor(name, preferred)?.file ?? `not in ${preferred}` })),
            { title: `${TITLE} (1/2)`, placeHolder: 'Modelled kernel function' },
          )
        )?.label;
  if (!fn) return undefined;
  const kernel =
    requestedKernel(request) ??
    (
      await vscode.window.showQuickPick(
        [...kernels].sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred)).map((k) => ({ label: k.id, description: snippetFor(fn, k.id) ? '' : `no ${fn}() in this version`, detail: k.title })),
        { ...LATER_STEP, title: `${TITLE} (2/2): ${fn}`, placeHolder: 'Kernel version' },
      )
    )?.label;
  if (!kernel) return undefined;
  return (await openSnippet(fn, kernel)).document;
}
