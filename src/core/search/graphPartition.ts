/**
 * How the parallel livelock check splits the recorded state graph between workers. A recorded step
 * completes no operation (`StateGraphLog`), so it keeps every thread's operation index, and symmetry
 * only swaps threads that have the same operations. So a state's operation class (its threads'
 * operation indexes, up to swapping interchangeable threads) is the same at both ends of every recorded
 * transition, hence all along every cycle: a part of the check that takes whole classes finds every
 * cycle among them without looking at the others. States go into GRAPH_BUCKETS buckets by a hash of
 * their class; the buckets are dealt out to the parts by how much each recorded.
 */
import type { Program } from '../model/program';
import { threadKinds } from './symmetry';

export const GRAPH_BUCKETS = 64;

/** Words and states each bucket recorded (GRAPH_BUCKETS of each). */
export interface GraphLoad {
  words: number[];
  states: number[];
}

export const emptyLoad = (): GraphLoad => ({ words: new Array<number>(GRAPH_BUCKETS).fill(0), states: new Array<number>(GRAPH_BUCKETS).fill(0) });

export function addLoad(into: GraphLoad, load: GraphLoad): void {
  for (let b = 0; b < GRAPH_BUCKETS; b++) {
    into.words[b] += load.words[b];
    into.states[b] += load.states[b];
  }
}

const mix = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return x ^ (x >>> 16);
};

export class OperationClasses {
  /** Per thread, its kind: the same for interchangeable threads, as the symmetry has them. */
  private readonly kind: Int32Array;

  constructor(private readonly program: Program) {
    this.kind = threadKinds(program);
  }

  /** The bucket of a state's operation class: a sum over threads, so the order of interchangeable threads does not matter. */
  bucketOf(s: Uint8Array): number {
    let sum = 0;
    for (let t = 0; t < this.kind.length; t++) sum = (sum + mix((this.kind[t] << 8) | this.program.operationIndex(s, t))) | 0;
    return (mix(sum) >>> 0) % GRAPH_BUCKETS;
  }
}

/** One part of the check: which buckets are its own (1), and how many states they hold. */
export interface GraphPart {
  buckets: Uint8Array;
  states: number;
}

/** Deals the buckets, largest first, each to the part with the fewest words so far; parts that get nothing are left out. */
export function dealBuckets(load: GraphLoad, parts: number): GraphPart[] {
  const dealt = Array.from({ length: parts }, () => ({ buckets: new Uint8Array(GRAPH_BUCKETS), states: 0, words: 0 }));
  const bySize = [...Array(GRAPH_BUCKETS).keys()].filter((b) => load.states[b] > 0).sort((a, b) => load.words[b] - load.words[a]);
  for (const bucket of bySize) {
    const part = dealt.reduce((least, p) => (p.words < least.words ? p : least));
    part.buckets[bucket] = 1;
    part.states += load.states[bucket];
    part.words += load.words[bucket];
  }
  return dealt.filter((p) => p.states > 0).map(({ buckets, states }) => ({ buckets, states }));
}
