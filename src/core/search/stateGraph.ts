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
import { grown } from './parentTable';
import { EDGE_WORDS, labelSigma, labelThread, maskDisabled, maskUnfinished, packMasks, RECORD_HEADER, StateGraphLog } from './stateGraphLog';
import { permuteMask } from './symmetry';
import type { Bound } from './verdict';

/** Where each state's record lies: its chunk (-1: none) and offset. */
interface RecordIndex {
  chunk: Int32Array;
  at: Int32Array;
}

function indexRecords(chunks: readonly Int32Array[], states: number): RecordIndex {
  const chunkOf = new Int32Array(states).fill(-1);
  const at = new Int32Array(states);
  chunks.forEach((chunk, k) => {
    for (let i = 0; i < chunk.length; i += RECORD_HEADER + EDGE_WORDS * chunk[i + 2]) {
      const id = chunk[i];
      if (!(id >= 0 && id < states)) throw new Error(`state graph: state id ${id} is not below the ${states} handed out`);
      if (chunkOf[id] >= 0) throw new Error(`state graph: state ${id} was expanded twice`);
      chunkOf[id] = k;
      at[id] = i;
    }
  });
  return { chunk: chunkOf, at };
}

/** Bytes the check takes beside the records: its index of them and Tarjan's arrays, for `states` ids. */
export function recordedGraphCheckBytes(states: number, threads: number): number {
  return states * (44 + threads);
}

/** Edges between two calls of the check's poll. */
const POLL_EDGES = 1 << 16;

/**
 * The spinning threads of a weakly fair cycle (`{ spinning }`), or undefined when there is none, or the
 * bound `poll` returned (it is called every POLL_EDGES edges). `chunks` hold the records of every state,
 * all with ids below `states`. The records leave out the steps that complete an operation, which lie on
 * no cycle, so the search starts from every state it has not reached yet, not only the initial one.
 * Each search tree's root counts as its own real state: the spinning threads are numbered as in one
 * real copy of the cycle.
 */
export function fairCycleInRecordedGraph(chunks: readonly Int32Array[], states: number, threads: number,
  poll: () => Bound | undefined = () => undefined): { spinning: number } | { bound: Bound } | undefined {
  const records = indexRecords(chunks, states);
  const UNSEEN = -1;
  const DONE = -2;
  /** Discovery order, DONE once the state's component is closed. */
  const order = new Int32Array(states).fill(UNSEEN);
  const low = new Int32Array(states);
  /** Per state on the Tarjan stack: its position there, its perm (to real threads), moved and disabled threads. */
  const position = new Int32Array(states);
  const perm = new Uint8Array(states * threads);
  const moved = new Int32Array(states);
  const disabled = new Int32Array(states);
  const unfinished = new Uint8Array(states);
  const stack = new Int32Array(states);
  let stackSize = 0;
  // The DFS's own stack: a state, its record, and where its next transition lies in the record.
  const callState = new Int32Array(states);
  const callChunk: Int32Array[] = [];
  const callEdge = new Int32Array(states);
  const callEnd = new Int32Array(states);
  let depth = 0;
  let generatorOwner = new Int32Array(16);
  let generatorPerm = new Uint8Array(16 * threads);
  let generatorCount = 0;
  const sigmaInverse = new Uint8Array(threads);
  const g = new Uint8Array(threads);
  let counter = 0;

  const discover = (v: number): void => {
    if (!(v >= 0 && v < states) || records.chunk[v] < 0) throw new Error(`state graph: state ${v} is reached but was never expanded`);
    const chunk = chunks[records.chunk[v]];
    const at = records.at[v];
    order[v] = low[v] = counter++;
    position[v] = stackSize;
    stack[stackSize++] = v;
    moved[v] = 0;
    unfinished[v] = maskUnfinished(chunk[at + 1]);
    let real = 0;
    for (let x = 0, mask = maskDisabled(chunk[at + 1]); mask !== 0; x++, mask >>>= 1) if (mask & 1) real |= 1 << perm[v * threads + x];
    disabled[v] = real;
    callState[depth] = v;
    callChunk[depth] = chunk;
    callEdge[depth] = at + RECORD_HEADER;
    callEnd[depth] = at + RECORD_HEADER + EDGE_WORDS * chunk[at + 2];
    depth++;
  };
  /** sigmaInverse from a label's permutation (perm[old] = new, old = the source's numbering). */
  const invertLabel = (label: number): void => {
    for (let x = 0; x < threads; x++) sigmaInverse[labelSigma(label, x)] = x;
  };

  let nextRoot = 0;
  for (let untilPoll = POLL_EDGES; ; ) {
    if (depth === 0) {
      while (nextRoot < states && (records.chunk[nextRoot] < 0 || order[nextRoot] !== UNSEEN)) nextRoot++;
      if (nextRoot === states) break;
      for (let x = 0; x < threads; x++) perm[nextRoot * threads + x] = x;
      discover(nextRoot);
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
      if (order[w] === UNSEEN) {
        invertLabel(label);
        for (let x = 0; x < threads; x++) perm[w * threads + x] = perm[vp + sigmaInverse[x]];
        discover(w);
      } else if (order[w] !== DONE) {
        // An edge back into the component being built: it moves its thread, and may imply a stabiliser element.
        if (order[w] < low[v]) low[v] = order[w];
        moved[v] |= 1 << perm[vp + labelThread(label)];
        invertLabel(label);
        let identity = true;
        for (let x = 0; x < threads; x++) {
          let y = 0;
          while (perm[w * threads + y] !== x) y++;
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
export function frontierRecords(graph: FrontierGraph, idOf: (h1: number, h2: number) => number): Int32Array[] {
  const log = new StateGraphLog();
  const { states, edges } = graph;
  const resolved = new Int32Array(EDGE_WORDS * 64);
  let edge = 0;
  for (let i = 0; i < states.length; i += 5) {
    const count = states[i + 4];
    const pairs = count > resolved.length / EDGE_WORDS ? new Int32Array(EDGE_WORDS * count) : resolved;
    for (let k = 0; k < count; k++, edge += 3) {
      pairs[EDGE_WORDS * k] = idOf(edges[edge], edges[edge + 1]);
      pairs[EDGE_WORDS * k + 1] = edges[edge + 2];
    }
    log.state(idOf(states[i], states[i + 1]), packMasks(states[i + 2], states[i + 3]), pairs, 0, EDGE_WORDS * count);
  }
  return log.filled();
}
