/**
 * A record of part of the (quotient) state graph, written by a search as it goes, for the livelock
 * check of the parallel strategy (`stateGraph.ts`): one record per expanded state, with its outgoing
 * transitions: `[id, masks, bucket, n, target 1, label 1, ..., target n, label n]` (masks: which threads
 * are disabled and which unfinished there; bucket: its operation class's, `graphPartition.ts`). Steps
 * that complete an operation are left out: operation indexes never decrease, so such a step lies on no
 * cycle. The check reads a state's transitions where they lie, so it builds no adjacency arrays of
 * its own. Records are kept in chunks of shared memory (each twice the last, up to 12 MiB), so that
 * the log never copies itself as it grows and every worker's part of the check reads the same chunks.
 * A depth-first search finishes a state only after the states below it, so `StateGraphRecorder` keeps
 * the transitions of the open states on a stack until each is done.
 *
 * A label packs the transition's thread (3 bits) and branch (5 bits), both as the source's
 * representative numbers them, and the permutation symmetry applied to the successor (3 bits per
 * thread, `perm[old] = new`): so at most 8 threads and 32 branches (scenarios have at most 6 threads
 * and 8 slots).
 */
import { emptyLoad, type GraphLoad } from './graphPartition';
import { grown } from './parentTable';

/** Words of a record before its transitions, and per transition. */
export const RECORD_HEADER = 4;
export const EDGE_WORDS = 2;
/** Words in the first chunk, and at most in one (12 MiB). */
const FIRST_CHUNK_WORDS = 1 << 14;
const MAX_CHUNK_WORDS = 3 << 20;

const MAX_LABEL_THREADS = 8;
const MAX_LABEL_BRANCHES = 32;

/** A permutation of at most 8 threads in 24 bits, for `packLabel`. */
export function packPermutation(sigma: ArrayLike<number>): number {
  let packed = 0;
  for (let x = sigma.length - 1; x >= 0; x--) packed = (packed << 3) | sigma[x];
  return packed;
}

export const IDENTITY_PERMUTATION = packPermutation([0, 1, 2, 3, 4, 5, 6, 7]);

export function packLabel(thread: number, branch: number, permutation: number): number {
  if (thread >= MAX_LABEL_THREADS || branch >= MAX_LABEL_BRANCHES) throw new Error(`state graph: thread ${thread}, branch ${branch} do not fit a label`);
  return thread | (branch << 3) | (permutation << 8);
}

export const labelThread = (label: number): number => label & 7;
/** Where the label's permutation sends thread x. */
export const labelSigma = (label: number, x: number): number => (label >>> (8 + 3 * x)) & 7;

/** The masks of a state record: disabled (or finished) threads, and unfinished ones. */
export const packMasks = (disabled: number, unfinished: number): number => disabled | (unfinished << 8);
export const maskDisabled = (masks: number): number => masks & 0xff;
export const maskUnfinished = (masks: number): number => (masks >>> 8) & 0xff;

export class StateGraphLog {
  private readonly chunks: Int32Array[] = [];
  /** Words written in the last chunk. */
  private fill = 0;
  private current: Int32Array = new Int32Array(0);
  bytes = 0;
  readonly load: GraphLoad = emptyLoad();

  /** Records a state (`packMasks`), its bucket and its transitions, `edges[from, to)` as (target, label) pairs. */
  state(id: number, masks: number, bucket: number, edges: Int32Array, from: number, to: number): void {
    const words = RECORD_HEADER + (to - from);
    if (this.fill + words > this.current.length) {
      const size = Math.max(words, Math.min(MAX_CHUNK_WORDS, Math.max(FIRST_CHUNK_WORDS, 2 * this.current.length)));
      if (this.chunks.length > 0) this.chunks[this.chunks.length - 1] = this.current.subarray(0, this.fill);
      this.current = new Int32Array(new SharedArrayBuffer(4 * size));
      this.chunks.push(this.current);
      this.bytes += this.current.byteLength;
      this.fill = 0;
    }
    const at = this.fill;
    const chunk = this.current;
    chunk[at] = id;
    chunk[at + 1] = masks;
    chunk[at + 2] = bucket;
    chunk[at + 3] = (to - from) / EDGE_WORDS;
    for (let i = from, w = at + RECORD_HEADER; i < to; i++, w++) chunk[w] = edges[i];
    this.fill = at + words;
    this.load.words[bucket] += words;
    this.load.states[bucket]++;
  }

  /** The records, ready to send: each chunk trimmed to the records it holds. */
  filled(): Int32Array[] {
    if (this.chunks.length === 0) return [];
    return [...this.chunks.slice(0, -1), this.current.subarray(0, this.fill)];
  }
}

/** Collects the transitions of the states a depth-first search has open, and logs each state when it is done. */
export class StateGraphRecorder {
  private edges = new Int32Array(1 << 10);
  private top = 0;
  private open = 0;
  private frameId = new Int32Array(64);
  private frameMasks = new Int32Array(64);
  private frameBucket = new Int32Array(64);
  private frameBase = new Int32Array(64);

  constructor(readonly log: StateGraphLog) {}

  get bytes(): number {
    return this.log.bytes + this.edges.byteLength + 16 * this.frameId.length;
  }

  /** A state is entered: the transitions recorded from now until `done` are its own. */
  enter(id: number, disabled: number, unfinished: number, bucket: number): void {
    if (this.open === this.frameId.length) {
      this.frameId = grown(this.frameId, 2 * this.open);
      this.frameMasks = grown(this.frameMasks, 2 * this.open);
      this.frameBucket = grown(this.frameBucket, 2 * this.open);
      this.frameBase = grown(this.frameBase, 2 * this.open);
    }
    this.frameId[this.open] = id;
    this.frameMasks[this.open] = packMasks(disabled, unfinished);
    this.frameBucket[this.open] = bucket;
    this.frameBase[this.open] = this.top;
    this.open++;
  }

  /** A transition of the state entered last and not yet done. */
  edge(target: number, label: number): void {
    if (this.top + EDGE_WORDS > this.edges.length) this.edges = grown(this.edges, 2 * this.edges.length);
    this.edges[this.top] = target;
    this.edges[this.top + 1] = label;
    this.top += EDGE_WORDS;
  }

  /** The state entered last has no more transitions: it goes to the log. */
  done(): void {
    const f = --this.open;
    this.log.state(this.frameId[f], this.frameMasks[f], this.frameBucket[f], this.edges, this.frameBase[f], this.top);
    this.top = this.frameBase[f];
  }
}
