/**
 * Which steps a kernel version runs differently from the version it is described against: the step
 * ids it adds, drops, or changes (same id, different summary), over every modelled path.
 */
import { buildPath } from '../model/program';
import type { OperationKind, PageKind } from '../scenario/types';
import { findKernel, type KernelVersion } from './versions';

const PATHS: [OperationKind, PageKind][] = [
  ['read', 'anon'], ['read', 'shmem'], ['reclaim', 'anon'], ['reclaim', 'shmem'], ['munmap', 'anon'], ['dontneed', 'anon'], ['fork', 'anon'], ['swapoff', 'anon'],
];

export interface StepDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

function stepSummaries(kernel: KernelVersion): Map<string, string> {
  const steps = new Map<string, string>();
  for (const [op, pageKind] of PATHS) {
    for (const step of buildPath(op, pageKind, kernel.features).steps) steps.set(step.id, `${step.point}: ${step.summary}`);
  }
  return steps;
}

export function stepDiff(kernel: KernelVersion): StepDiff | undefined {
  const base = kernel.base ? findKernel(kernel.base) : undefined;
  if (!base) return undefined;
  const mine = stepSummaries(kernel);
  const theirs = stepSummaries(base);
  return {
    added: [...mine.keys()].filter((id) => !theirs.has(id)).sort(),
    removed: [...theirs.keys()].filter((id) => !mine.has(id)).sort(),
    changed: [...mine.keys()].filter((id) => theirs.has(id) && theirs.get(id) !== mine.get(id)).sort(),
  };
}
