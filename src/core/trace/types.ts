/**
 * Traces: what a check produces and what every consumer (timeline, CodeLens, Problems, CLI) reads.
 * A trace is self-contained: it carries the scenario it came from, so a shared file can be replayed.
 */
import type { Scenario, PropertyId } from '../scenario/types';

export type VerdictKind = 'violation' | 'verified' | 'bounded';

/** Where a step sits in the kernel source: a function and a named point in it. */
export interface SourceAnchor {
  fn: string;
  point: string;
}

/** One printable field of one object at one moment, e.g. `count = 1|HAS_CACHE`. */
export interface ObjectView {
  /** Stable id across states, e.g. `pte:p0`, `slot:0`, `cache:0`, `folio:1`, `thread:T0`, `ptl:mm0`. */
  id: string;
  kind: 'pte' | 'mapping' | 'slot' | 'cache' | 'folio' | 'lock' | 'device' | 'thread' | 'ghost';
  label: string;
  fields: Record<string, string>;
}

export interface StateView {
  objects: ObjectView[];
}

/** Structured facts a step reports, from which the core explains a violation. */
export type TraceEvent =
  /** A read of the slot into a folio; `holdsHasCache`: the reader held SWAP_HAS_CACHE on the slot (the swap-cache path, or the direct path's pin). */
  | { kind: 'read'; slot: number; folio: number; value: number; holdsHasCache: boolean }
  /** An exclusive zswap load dropped the slot's compressed copy: the folio it read into (private or in the swap cache) holds the only one. */
  | { kind: 'erased'; slot: number; intoPrivateFolio: boolean }
  /** Swapoff freed swap_map and the device's structures: any later use of them is a use after free. */
  | { kind: 'deviceFreed' }
  | { kind: 'freed'; slot: number }
  | { kind: 'allocated'; slot: number }
  | { kind: 'wrote'; page: string; value: number }
  | { kind: 'check'; check: string; passed: boolean }
  | { kind: 'installed'; page: string; folio: number; value: number };

export interface TraceStep {
  /** Index of the thread in `threads`. */
  thread: number;
  /** Stable step id, e.g. `do_swap_page.pte_same`. */
  stepId: string;
  /** What happened, in words, with the concrete values of this execution. */
  label: string;
  anchor: SourceAnchor;
  /** Object ids this step read and wrote (partial-order reduction uses the same sets). */
  reads: string[];
  writes: string[];
  /**
   * Of `reads`, the objects the step read only while an allocator scanned for a free folio or swap slot
   * (`Machine.scanBits`): no data the step uses, so the timeline draws no access or conflict for them. Absent when none.
   */
  scans?: string[];
  /** Allocator choice taken at this step, when the allocator branched. */
  choice?: number;
  events?: TraceEvent[];
}

export interface TraceViolation {
  /** Index into `steps` of the step after which the property failed (-1: the initial state). */
  step: number;
  property: PropertyId;
  message: string;
}

export interface Trace {
  format: 'swaprace.trace';
  version: 1;
  scenario: Scenario;
  kernel: string;
  verdict: VerdictKind;
  /** The printable schedule, e.g. `0.0.1.1.2a1` (see `schedule.ts`). */
  schedule: string;
  threads: { name: string }[];
  steps: TraceStep[];
  /** `states[0]` is the initial state; `states[i + 1]` is the state after `steps[i]`. */
  states: StateView[];
  violation?: TraceViolation;
}
