/**
 * The livelock check of the parallel strategy. Livelocks need the strongly connected components of
 * the whole state graph, and no worker sees all of it; so the workers record what they expand
 * (`StateGraphLog`, states by the shared store's ids) and, once a complete search has found no safety
 * violation, this module indexes the records by state id and runs Tarjan's algorithm over them, where
 * they lie, with the weak-fairness test of `fairness.ts`. It treats symmetry exactly as the depth-first
 * engine does on the fly: each state keeps the permutation to the real state reached along the DFS
 * tree, and an edge that closes a cycle contributes the stabiliser element it implies (`generators`).
 */
import { fairCycleThreads } from './fairness';
import type { FrontierGraph } from './frontier';
import { GRAPH_BUCKETS } from './graphPartition';
import { grown } from './parentTable';
import { EDGE_WORDS, labelSigma, labelThread, maskDisabled, maskUnfinished, packMasks, RECORD_HEADER, StateGraphLog } from './stateGraphLog';
import { permuteMask } from './symmetry';
import type { Bound } from './verdict';

/**
 * A state's order word says whose it is: ELSEWHERE until a part indexes its record; then, for part i,
 * UNSEEN(i), a discovery order in [i * states, (i + 1) * states), or DONE(i) once its component is
 * closed. A part tells its own states by that word alone, so a transition into another part's state is
 * an error whatever that part has done with it so far.
 */
const ELSEWHERE = -1;
const unseenOf = (part: number): number => -2 - 2 * part;
const doneOf = (part: number): number => -3 - 2 * part;

/**
 * Tarjan's arrays by state id. Parts of the check that run at once on several workers share them: each
 * part writes only its own states' entries.
 */
export class CheckArrays {
  /** Discovery order and low link (see ELSEWHERE). */
  readonly order: Int32Array;
  readonly low: Int32Array;
  /** Where the state's record lies: its chunk and offset. */
  readonly chunkOf: Int32Array;
  readonly at: Int32Array;
  /** Per state on the Tarjan stack: its position there, its perm (to real threads), moved, disabled and unfinished threads. */
  readonly position: Int32Array;
  readonly moved: Int32Array;
  readonly disabled: Int32Array;
  readonly perm: Uint8Array;
  readonly unfinished: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer, readonly states: number, readonly threads: number) {
    const words = (k: number): Int32Array => new Int32Array(buffer, 4 * k * states, states);
    this.order = words(0);
    this.low = words(1);
    this.chunkOf = words(2);
    this.at = words(3);
    this.position = words(4);
    this.moved = words(5);
    this.disabled = words(6);
    this.perm = new Uint8Array(buffer, 28 * states, threads * states);
    this.unfinished = new Uint8Array(buffer, (28 + threads) * states, states);
  }

  static bytes(states: number, threads: number): number {
    return states * (29 + threads);
  }

  static allocate(states: number, threads: number): CheckArrays {
    const arrays = new CheckArrays(new SharedArrayBuffer(CheckArrays.bytes(states, threads)), states, threads);
    arrays.order.fill(ELSEWHERE);
    return arrays;
  }
}

/** Bytes the check takes beside the records, for `states` ids: the shared arrays, and the parts' lists and stacks (which hold their own states). */
export function recordedGraphCheckBytes(states: number, threads: number): number {
  return CheckArrays.bytes(states, threads) + 20 * states;
}

const unexpanded = (v: number): Error => new Error(`state graph: state ${v} is reached but was never expanded (or is another part's)`);

/** Edges (or records indexed) between two calls of the check's poll. */
const POLL_EDGES = 1 << 16;

/** The answer of the check: the spinning threads of a weakly fair cycle, none (undefined), or the bound that stopped it. */
export type FairCycleAnswer = { spinning: number } | { bound: Bound } | undefined;

/**
 * A part of the check: its buckets (`graphPartition.ts`), how many states they hold, its index among
 * the parts, and the arrays shared with the other parts.
 */
export interface CheckPart {
  buckets: Uint8Array;
  states: number;
  index: number;
  arrays: CheckArrays;
}

/**
 * The spinning threads of a weakly fair cycle (`{ spinning }`), or undefined when there is none, or the
 * bound `poll` returned (it is called every POLL_EDGES edges or records indexed). `chunks` hold the
 * records of every state, all with ids below `states`; with `part`, the check looks only at the states
 * of its buckets, which no recorded transition leaves. The records leave out the steps that complete
 * an operation, which lie on no cycle, so the search starts from every state it has not reached yet,
 * not only the initial one. Each search tree's root counts as its own real state: the spinning threads
 * are numbered as in one real copy of the cycle.
 */
export function fairCycleInRecordedGraph(chunks: readonly Int32Array[], states: number, threads: number,
  poll: () => Bound | undefined = () => undefined,
  part: CheckPart = { buckets: new Uint8Array(GRAPH_BUCKETS).fill(1), states, index: 0, arrays: CheckArrays.allocate(states, threads) }): FairCycleAnswer {
  const { order, low, chunkOf, at, position, moved, disabled, perm, unfinished } = part.arrays;
  const UNSEEN = unseenOf(part.index);
  const DONE = doneOf(part.index);
  const firstOrder = part.index * states;
  const endOrder = firstOrder + states;
  if (endOrder > 0x7fffffff) throw new Error(`state graph: ${states} states do not fit ${part.index + 1} parts`);
  let untilPoll = POLL_EDGES;
  const tick = (): Bound | undefined => {
    if (--untilPoll !== 0) return undefined;
    untilPoll = POLL_EDGES;
    return poll();
  };

  // Index the part's records, mark their states unseen, and list them in the records' order.
  const own = new Int32Array(part.states);
  let ownCount = 0;
  for (let k = 0; k < chunks.length; k++) {
    const chunk = chunks[k];
    for (let i = 0; i < chunk.length; i += RECORD_HEADER + EDGE_WORDS * chunk[i + 3]) {
      const bound = tick();
      if (bound) return { bound };
      if (!part.buckets[chunk[i + 2]]) continue;
      const id = chunk[i];
      if (!(id >= 0 && id < states)) throw new Error(`state graph: state id ${id} is not below the ${states} handed out`);
      if (order[id] === UNSEEN) throw new Error(`state graph: state ${id} was expanded twice`);
      order[id] = UNSEEN;
      chunkOf[id] = k;
      at[id] = i;
      own[ownCount++] = id;
    }
  }

  const stack = new Int32Array(part.states);
  let stackSize = 0;
  // The DFS's own stack: a state, its record, and where its next transition lies in the record.
  const callState = new Int32Array(part.states);
  const callChunk: Int32Array[] = [];
  const callEdge = new Int32Array(part.states);
  const callEnd = new Int32Array(part.states);
  let depth = 0;
  let generatorOwner = new Int32Array(16);
  let generatorPerm = new Uint8Array(16 * threads);
  let generatorCount = 0;
  const sigmaInverse = new Uint8Array(threads);
  const g = new Uint8Array(threads);
  let counter = firstOrder;

  /** Discovers v, the part's own unseen state, whose perm the caller has set. */
  const discover = (v: number): void => {
    const chunk = chunks[chunkOf[v]];
    const record = at[v];
    order[v] = low[v] = counter++;
    position[v] = stackSize;
    stack[stackSize++] = v;
    moved[v] = 0;
    unfinished[v] = maskUnfinished(chunk[record + 1]);
    let real = 0;
    for (let x = 0, mask = maskDisabled(chunk[record + 1]); mask !== 0; x++, mask >>>= 1) if (mask & 1) real |= 1 << perm[v * threads + x];
    disabled[v] = real;
    callState[depth] = v;
    callChunk[depth] = chunk;
    callEdge[depth] = record + RECORD_HEADER;
    callEnd[depth] = record + RECORD_HEADER + EDGE_WORDS * chunk[record + 3];
    depth++;
  };
  /** sigmaInverse from a label's permutation (perm[old] = new, old = the source's numbering). */
  const invertLabel = (label: number): void => {
    for (let x = 0; x < threads; x++) sigmaInverse[labelSigma(label, x)] = x;
  };

  /** The next of the part's states, in the records' order, that no search tree has reached (-1: none is left). */
  let nextOwn = 0;
  const nextRoot = (): number => {
    while (nextOwn < ownCount && order[own[nextOwn]] !== UNSEEN) nextOwn++;
    return nextOwn < ownCount ? own[nextOwn] : -1;
  };

  for (;;) {
    if (depth === 0) {
      const root = nextRoot();
      if (root < 0) break;
      for (let x = 0; x < threads; x++) perm[root * threads + x] = x;
      discover(root);
    }
    if (--untilPoll === 0) {
      untilPoll = POLL_EDGES;
      const bound = poll();
      if (bound) return { bound };
    }
    const v = callState[depth - 1];
    const e = callEdge[depth - 1];
    if (e < callEnd[depth - 1]) {
      callEdge[depth - 1] = e + EDGE_WORDS;
      const chunk = callChunk[depth - 1];
      const w = chunk[e];
      const label = chunk[e + 1];
      const vp = v * threads;
      const orderW = order[w];
      if (orderW === UNSEEN) {
        invertLabel(label);
        for (let x = 0; x < threads; x++) perm[w * threads + x] = perm[vp + sigmaInverse[x]];
        discover(w);
      } else if (orderW >= firstOrder && orderW < endOrder) {
        // An edge back into the component being built: it moves its thread, and may imply a stabiliser element.
        if (orderW < low[v]) low[v] = orderW;
        moved[v] |= 1 << perm[vp + labelThread(label)];
        invertLabel(label);
        let identity = true;
        for (let x = 0; x < threads; x++) {
          let y = 0;
          while (y < threads && perm[w * threads + y] !== x) y++;
          if (y === threads) throw new Error(`state graph: state ${w}'s thread permutation is not one`);
          g[x] = perm[vp + sigmaInverse[y]];
          if (g[x] !== x) identity = false;
        }
        if (!identity) {
          if (generatorCount === generatorOwner.length) {
            generatorOwner = grown(generatorOwner, generatorCount * 2);
            generatorPerm = grown(generatorPerm, generatorCount * 2 * threads);
          }
          generatorOwner[generatorCount] = position[v];
          generatorPerm.set(g, generatorCount * threads);
          generatorCount++;
        }
      } else if (orderW !== DONE) {
        throw unexpanded(w);
      }
      continue;
    }
    // v is done: close its component if it is a root, else pass its low link and the tree edge up.
    depth--;
    if (low[v] !== order[v]) {
      const parent = callState[depth - 1];
      if (low[v] < low[parent]) low[parent] = low[v];
      moved[parent] |= 1 << perm[parent * threads + labelThread(callChunk[depth - 1][callEdge[depth - 1] - 1])];
      continue;
    }
    const from = position[v];
    let movedInside = 0;
    let disabledInside = 0;
    for (let i = from; i < stackSize; i++) {
      movedInside |= moved[stack[i]];
      disabledInside |= disabled[stack[i]];
    }
    if (movedInside !== 0) {
      const generators: Uint8Array[] = [];
      for (let k = generatorCount - 1; k >= 0 && generatorOwner[k] >= from; k--) generators.push(generatorPerm.subarray(k * threads, (k + 1) * threads));
      const unfinishedReal = permuteMask(unfinished[v], perm.subarray(v * threads, (v + 1) * threads));
      const spinning = fairCycleThreads({ unfinished: unfinishedReal, moved: movedInside, disabled: disabledInside, generators });
      if (spinning !== undefined) return { spinning };
    }
    for (let i = from; i < stackSize; i++) order[stack[i]] = DONE;
    stackSize = from;
    while (generatorCount > 0 && generatorOwner[generatorCount - 1] >= from) generatorCount--;
  }
  return undefined;
}

/** The records of the graph above a frontier (`topLevels`), by state id. */
export function frontierRecords(graph: FrontierGraph, idOf: (h1: number, h2: number) => number): StateGraphLog {
  const log = new StateGraphLog();
  const { states, edges } = graph;
  const resolved = new Int32Array(EDGE_WORDS * 64);
  let edge = 0;
  for (let i = 0; i < states.length; i += 6) {
    const count = states[i + 5];
    const pairs = count > resolved.length / EDGE_WORDS ? new Int32Array(EDGE_WORDS * count) : resolved;
    for (let k = 0; k < count; k++, edge += 3) {
      pairs[EDGE_WORDS * k] = idOf(edges[edge], edges[edge + 1]);
      pairs[EDGE_WORDS * k + 1] = edges[edge + 2];
    }
    log.state(idOf(states[i], states[i + 1]), packMasks(states[i + 2], states[i + 3]), states[i + 4], pairs, 0, EDGE_WORDS * count);
  }
  return log;
}
