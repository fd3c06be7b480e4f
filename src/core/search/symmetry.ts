/**
 * Symmetry reduction over interchangeable threads: threads whose operation lists are identical run
 * identical step paths, so permuting them (their blocks, and every shared byte that names a thread:
 * PTL and folio lock owners, `Layout.threadIndexBytes`) maps the state graph onto itself, properties
 * included. The search stores one representative per orbit: the state with each class's thread blocks
 * sorted.
 *
 * Sorting key of a thread: its block's bytes, then the locks it owns (the lowest-offset lock first).
 * Two threads with equal keys have equal blocks and own nothing, so swapping them leaves the state
 * unchanged: the representative is the same for every member of an orbit (the canonical form is
 * exact, not just sound).
 *
 * Permutations are arrays `perm[old] = new` over thread indexes.
 */
import type { Program } from '../model/program';
import { NONE, THREAD_FIELDS } from '../model/state';
import type { UndoLog } from '../model/undoLog';

/**
 * Per thread, the first thread with the same operations: its kind. Threads of one kind are the
 * interchangeable ones, for the symmetry and for the livelock check's split (`graphPartition.ts`).
 */
export function threadKinds(program: Program): Int32Array {
  const firstWith = new Map<string, number>();
  return Int32Array.from(program.scenario.threads, (thread, t) => {
    const key = JSON.stringify(thread.ops);
    if (!firstWith.has(key)) firstWith.set(key, t);
    return firstWith.get(key)!;
  });
}

export class ThreadSymmetry {
  private readonly ownerBytes: Int32Array;
  private readonly threadBase: number;
  private readonly blocks: Uint8Array;
  private readonly orderScratch: number[][];
  /** Each thread's class, or -1. */
  private readonly classOf: Int32Array;

  private constructor(program: Program, readonly classes: readonly number[][]) {
    this.ownerBytes = Int32Array.from(program.layout.threadIndexBytes());
    this.classOf = new Int32Array(program.threadCount).fill(-1);
    classes.forEach((members, c) => members.forEach((t) => (this.classOf[t] = c)));
    this.threadBase = program.layout.thread;
    this.blocks = new Uint8Array(program.threadCount * THREAD_FIELDS);
    this.orderScratch = classes.map((c) => c.slice());
  }

  /** The symmetry of a program, or undefined when no two threads are interchangeable. */
  static of(program: Program): ThreadSymmetry | undefined {
    const byKind = new Map<number, number[]>();
    threadKinds(program).forEach((kind, t) => {
      const members = byKind.get(kind);
      if (members) members.push(t);
      else byKind.set(kind, [t]);
    });
    const classes = [...byKind.values()].filter((members) => members.length > 1);
    return classes.length ? new ThreadSymmetry(program, classes) : undefined;
  }

  /**
   * Rewrites `s` in place into its orbit's representative and writes into `sigma` the permutation
   * applied (representative = sigma(s)). Returns false, with `sigma` the identity, when `s` already was
   * the representative.
   */
  canonicalise(s: Uint8Array, sigma: Uint8Array): boolean {
    for (let t = 0; t < sigma.length; t++) sigma[t] = t;
    let moved = false;
    for (let c = 0; c < this.classes.length; c++) {
      if (!this.sortClass(c, s)) continue;
      this.orderInto(c, sigma);
      moved = true;
    }
    if (moved) this.permute(s, sigma);
    return moved;
  }

  /**
   * `canonicalise` for the successor of a representative by thread t. A step changes its own thread's
   * block and locks, so only t's class can have fallen out of order; the other classes are left alone.
   * (Were a step ever to change another thread's locks, a state could be stored under two
   * representatives: less reduction, still sound.) Unlike `canonicalise`, it writes `sigma` only when
   * it returns true: most steps leave the order alone, and this runs for every transition.
   */
  canonicaliseAfterStep(s: Uint8Array, sigma: Uint8Array, t: number, log?: UndoLog): boolean {
    const c = this.classOf[t];
    if (c < 0 || !this.sortClass(c, s)) return false;
    for (let x = 0; x < sigma.length; x++) sigma[x] = x;
    this.orderInto(c, sigma);
    this.permute(s, sigma, log);
    return true;
  }

  /** Sorts class c's members by key (into its order scratch); true when any moved. */
  private sortClass(c: number, s: Uint8Array): boolean {
    const members = this.classes[c];
    const order = this.orderScratch[c];
    for (let i = 0; i < members.length; i++) order[i] = members[i];
    for (let i = 1; i < order.length; i++) {
      const x = order[i];
      let j = i - 1;
      while (j >= 0 && this.compare(s, order[j], x) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = x;
    }
    for (let i = 0; i < members.length; i++) if (order[i] !== members[i]) return true;
    return false;
  }

  /** Writes class c's sorted order into sigma: its i-th member in key order moves to the i-th place. */
  private orderInto(c: number, sigma: Uint8Array): void {
    const members = this.classes[c];
    const order = this.orderScratch[c];
    for (let i = 0; i < members.length; i++) sigma[order[i]] = members[i];
  }

  /**
   * Applies a thread permutation to `s` in place: thread t's block moves to perm[t], owners follow.
   * Each byte written is logged first in `log`, when given.
   */
  permute(s: Uint8Array, perm: ArrayLike<number>, log?: UndoLog): void {
    // Byte loops, not subarray copies: this runs for most successors and must not allocate. Only the
    // blocks that move are copied and logged (a step usually reorders two or three threads).
    const base = this.threadBase;
    const blocks = this.blocks;
    for (let t = 0; t < perm.length; t++) {
      if (perm[t] === t) continue;
      const from = base + t * THREAD_FIELDS;
      for (let i = 0; i < THREAD_FIELDS; i++) blocks[t * THREAD_FIELDS + i] = s[from + i];
      if (log !== undefined) log.touchRange(from, from + THREAD_FIELDS);
    }
    for (let t = 0; t < perm.length; t++) {
      const to = perm[t];
      if (to === t) continue;
      for (let i = 0; i < THREAD_FIELDS; i++) s[base + to * THREAD_FIELDS + i] = blocks[t * THREAD_FIELDS + i];
    }
    const owners = this.ownerBytes;
    for (let i = 0; i < owners.length; i++) {
      const owner = s[owners[i]];
      if (owner === NONE || perm[owner] === owner) continue;
      if (log !== undefined) log.touch(owners[i]);
      s[owners[i]] = perm[owner];
    }
  }

  private compare(s: Uint8Array, a: number, b: number): number {
    const ba = this.threadBase + a * THREAD_FIELDS;
    const bb = this.threadBase + b * THREAD_FIELDS;
    for (let i = 0; i < THREAD_FIELDS; i++) {
      const d = s[ba + i] - s[bb + i];
      if (d !== 0) return d;
    }
    const owners = this.ownerBytes;
    for (let i = 0; i < owners.length; i++) {
      const owner = s[owners[i]];
      if (owner === a) return -1;
      if (owner === b) return 1;
    }
    return 0;
  }
}

/** Writes the inverse of `perm` into `out`. */
export function invertPermutation(perm: ArrayLike<number>, out: Uint8Array): Uint8Array {
  for (let t = 0; t < perm.length; t++) out[perm[t]] = t;
  return out;
}

/** Maps a thread bit mask through a permutation. */
export function permuteMask(mask: number, perm: ArrayLike<number>): number {
  let out = 0;
  for (let t = 0; mask !== 0; t++, mask >>>= 1) if (mask & 1) out |= 1 << perm[t];
  return out;
}
