/**
 * A step is one atomic action of one thread: a lock-held region or a single lockless load of the real
 * code (reference §10). Paths are arrays of steps built per kernel version; control moves by step id.
 */
import type { KernelFeatures } from '../kernels/versions';
import type { DeviceSpec, PageKind } from '../scenario/types';
import type { Machine } from './state';

/** Fall through to the next step of the path. */
export const NEXT = '@next';
/** The operation is finished; the thread moves to its next operation. */
export const DONE = '@done';

export interface PageInfo {
  name: string;
  kind: PageKind;
  mm: number;
}

/** Static facts a step needs: the scenario's device and pages, the kernel's features, the thread. */
export interface StepCtx {
  t: number;
  k: KernelFeatures;
  device: DeviceSpec;
  pages: readonly PageInfo[];
  /** The page the operation targets (swapoff walks pages: it keeps the current one in TF_AUX). */
  page(m: Machine): number;
  /** For fork: the child page. */
  into: number;
  write: boolean;
}

export interface StepDef {
  /** Stable id, `function.point`, e.g. `do_swap_page.pte_same`. */
  id: string;
  /** Source anchor: the kernel function and the named point in it. */
  fn: string;
  point: string;
  /** One line on what the step models (the timeline's hover text). */
  summary: string;
  /** Guard: false while the thread waits (for a lock, for users to drain). Absent: always enabled. */
  enabled?(m: Machine, c: StepCtx): boolean;
  /** Number of nondeterministic outcomes (the any-free allocator); absent means one. */
  branches?(m: Machine, c: StepCtx): number;
  /** The effect. Returns the id of the step to run next, NEXT or DONE. */
  run(m: Machine, c: StepCtx, choice: number): string;
  /**
   * Runs at the end of any step that moves control here, as part of that step: what every way back to this
   * step does (a fault that ends, however it ends, drops the lock it held).
   */
  entered?(m: Machine, c: StepCtx): void;
}

export class Path {
  private readonly index = new Map<string, number>();
  readonly steps: StepDef[] = [];
  private readonly aliases = new Map<string, string>();

  add(step: StepDef): this {
    if (this.index.has(step.id)) throw new Error(`duplicate step id ${step.id}`);
    this.index.set(step.id, this.steps.length);
    this.steps.push(step);
    return this;
  }

  /** Lets a path name a label that a kernel version does not have (e.g. `out` without get_swap_device). */
  alias(label: string, target: string): this {
    this.aliases.set(label, target);
    return this;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Resolves every target once the path is complete, so a typo fails at build time, not mid-search. */
  resolve(id: string): number {
    let target = id;
    for (let hops = 0; this.aliases.has(target); hops++) {
      if (hops > 16) throw new Error(`alias loop at ${id}`);
      target = this.aliases.get(target)!;
    }
    const i = this.index.get(target);
    if (i === undefined) throw new Error(`unknown step target ${id}`);
    return i;
  }
}

/** Exits a path fragment jumps to when it is spliced into a larger path. */
export interface Exits {
  /** Where a finished or failed fault goes (the user access is retried from there). */
  retry: string;
}
