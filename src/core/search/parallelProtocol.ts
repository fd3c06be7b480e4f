/** What the parallel coordinator and its workers share: the job, the control words, the reply. */
import type { MessagePort } from 'worker_threads';
import type { KernelVersion } from '../kernels/versions';
import type { PropertyId, Scenario } from '../scenario/types';
import { isAllocationFailure } from './allocationFailure';
import type { Root } from './depthFirst';
import type { GraphLoad } from './graphPartition';
import type { SharedStoreBuffers } from './sharedFingerprintSet';
import type { FairCycleAnswer } from './stateGraph';
import type { SearchOutcome } from './verdict';

/** What the coordinator sends a worker: a search job or a part of the livelock check, and the port to reply on. */
export type WorkerMessage = ({ job: WorkerJob } | { check: CheckJob }) & { port: MessagePort };

/** Indexes into the control Int32Array. */
export const CONTROL = {
  /** Next frontier root to claim (Atomics.add). */
  nextRoot: 0,
  /** Set to 1 to make every worker stop (a violation or a livelock found, a worker's error, cancellation, the time bound). */
  stop: 1,
  /** Workers done so far (with their job or their check). */
  done: 2,
  /** Transitions run, added by the workers at every poll (for progress reports). */
  transitions: 3,
  /** Bumped (and notified) on every event the coordinator must look at: a worker done or pausing. */
  events: 4,
  /** 1 while the shared store waits to grow: workers pause at their next insertion. */
  growing: 5,
  /** Workers paused for the growth. */
  paused: 6,
  /** Bumped (and notified) when the grown store is ready: paused workers take it from their port. */
  generation: 7,
  /** Workers that have taken their job (a worker that never does failed to start). */
  started: 8,
  /** The deepest any worker has reached, absolute (raised at every poll; for progress reports). */
  maxDepth: 9,
  /** KiB of recorded state graph the workers hold together (each adds its growth at every poll). */
  graphKib: 10,
  size: 11,
} as const;

/** Bumps the event counter and wakes the coordinator. */
export function signalCoordinator(control: Int32Array): void {
  Atomics.add(control, CONTROL.events, 1);
  Atomics.notify(control, CONTROL.events);
}

/** Sent on a job's port when the store has grown (`store` absent: it may not grow, memory is full). */
export interface GrownStore {
  store?: SharedStoreBuffers;
}

export interface WorkerJob {
  scenario: Scenario;
  kernel: KernelVersion;
  props: PropertyId[];
  maxStates: number;
  maxDepth: number;
  timeoutMs: number;
  maxMemoryMb?: number;
  symmetry: boolean;
  /** Record the states this worker expands and their transitions (the livelock check; the store gives ids). */
  recordGraph: boolean;
  control: SharedArrayBuffer;
  /** Search below the shared frontier. */
  share: {
    roots: Root[];
    store: SharedStoreBuffers;
    threadOrder: number[];
  };
}

export interface WorkerReply {
  outcome: SearchOutcome;
  /** The recorded graph (`StateGraphLog.filled`, shared memory) and how much each bucket holds, with recordGraph. */
  graph?: Int32Array[];
  load?: GraphLoad;
  /** Set when the worker crashed. */
  error?: string;
}

/** A part of the livelock check on the recorded graph (`fairCycleInRecordedGraph`): every record, and the part's own buckets. */
export interface CheckJob {
  chunks: Int32Array[];
  /** State ids handed out. */
  states: number;
  threads: number;
  /** `CheckArrays`, shared by the parts. */
  arrays: SharedArrayBuffer;
  buckets: Uint8Array;
  /** States in the part's buckets, and the part's index among the parts. */
  partStates: number;
  part: number;
  control: SharedArrayBuffer;
}

export interface CheckReply {
  answer?: FairCycleAnswer;
  /** Set when the worker crashed. */
  error?: string;
}

/**
 * The reply of a job or check that threw: the memory bound when the machine had no room for an array
 * (the recorded graph, the check's arrays), else the error, which fails the search.
 */
export function failureReply(message: WorkerMessage, error: unknown): WorkerReply | CheckReply {
  // The job's figures went with it; the coordinator takes the states from the shared store.
  const stats = { states: 0, transitions: 0, ms: 0, maxDepth: 0 };
  if (isAllocationFailure(error)) return 'job' in message ? { outcome: { verdict: 'bounded', bound: 'memory', stats } } : { answer: { bound: 'memory' } };
  const why = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return 'job' in message ? { outcome: { verdict: 'bounded', bound: 'cancelled', stats }, error: why } : { error: why };
}
