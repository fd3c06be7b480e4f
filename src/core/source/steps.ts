/**
 * The source anchors of a kernel version's model: every step of every path `buildPath` builds for it,
 * so snippets and the locator never keep their own list of steps.
 */
import { findKernel, type KernelVersion } from '../kernels/versions';
import { buildPath } from '../model/program';
import { OPERATION_KINDS, PAGE_KINDS } from '../scenario/parse';

export interface StepAnchor {
  id: string;
  fn: string;
  point: string;
  summary: string;
}


const stepsByKernel = new Map<string, StepAnchor[]>();

/** Every step (unique by id) of every modelled path of the version, in path order. */
export function modelSteps(kernel: KernelVersion): readonly StepAnchor[] {
  let steps = stepsByKernel.get(kernel.id);
  if (!steps) {
    const byId = new Map<string, StepAnchor>();
    for (const op of OPERATION_KINDS) {
      for (const pageKind of PAGE_KINDS) {
        for (const { id, fn, point, summary } of buildPath(op, pageKind, kernel.features).steps) {
          if (!byId.has(id)) byId.set(id, { id, fn, point, summary });
        }
      }
    }
    steps = [...byId.values()];
    stepsByKernel.set(kernel.id, steps);
  }
  return steps;
}

/**
 * The version and the versions it is described against, newest first (`v6.8` -> v6.8, v6.7, v5.13).
 * A branch such as `shmem-bypass-2023` is on its own chain only, so v6.8 never inherits from it.
 */
export function kernelLineage(kernelId: string): string[] {
  const chain: string[] = [];
  for (let k = findKernel(kernelId); k && !chain.includes(k.id); k = k.base ? findKernel(k.base) : undefined) chain.push(k.id);
  return chain;
}
