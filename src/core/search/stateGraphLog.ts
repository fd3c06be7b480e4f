/**
 * A record of part of the (quotient) state graph, written by a search as it goes, for the livelock
 * check of the parallel strategy (`stateGraph.ts`): one record per expanded state (its id and which
 * threads are disabled or unfinished there) and one per transition (source id, target id, label).
 * Records are three words, kept in chunks (each twice the last, up to 12 MiB) so that the log never
 * copies itself as it grows, and the chunks can be handed to another thread without copying.
 *
 * A label packs the transition's thread (3 bits) and branch (5 bits), both as the source's
 * representative numbers them, and the permutation symmetry applied to the successor (3 bits per
 * thread, `perm[old] = new`): so at most 8 threads and 32 branches (scenarios have at most 6 threads
 * and 8 slots).
 */

/** Words per record. */
export const RECORD_WORDS = 3;
/** Records in the first chunk, and at most in one (12 MiB). */
const FIRST_CHUNK_RECORDS = 1 << 12;
const MAX_CHUNK_RECORDS = 1 << 20;
/** The target word of a state record (an edge's target is a state id, never negative). */
export const STATE_RECORD = -1;

export const MAX_LABEL_THREADS = 8;
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
export const labelBranch = (label: number): number => (label >>> 3) & 31;
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
  private current = new Int32Array(0);
  bytes = 0;

  state(id: number, disabled: number, unfinished: number): void {
    this.record(id, STATE_RECORD, packMasks(disabled, unfinished));
  }

  edge(source: number, target: number, label: number): void {
    this.record(source, target, label);
  }

  private record(a: number, b: number, c: number): void {
    if (this.fill === this.current.length) {
      const records = Math.min(MAX_CHUNK_RECORDS, Math.max(FIRST_CHUNK_RECORDS, 2 * (this.current.length / RECORD_WORDS)));
      this.current = new Int32Array(records * RECORD_WORDS);
      this.chunks.push(this.current);
      this.bytes += this.current.byteLength;
      this.fill = 0;
    }
    const at = this.fill;
    this.current[at] = a;
    this.current[at + 1] = b;
    this.current[at + 2] = c;
    this.fill = at + RECORD_WORDS;
  }

  /** The records, ready to send: every chunk full but the last, which is trimmed to what it holds. */
  filled(): Int32Array[] {
    if (this.chunks.length === 0) return [];
    const last = this.chunks.length - 1;
    return this.chunks.map((chunk, i) => (i === last ? chunk.subarray(0, this.fill) : chunk));
  }
}
