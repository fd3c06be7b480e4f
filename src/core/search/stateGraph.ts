/**
 * The livelock check of the parallel strategy. Livelocks need the strongly connected components of
 * the whole state graph, and no worker sees all of it; so the workers record what they expand
 * (`StateGraphLog`, states by the shared store's ids) and, once a complete search has found no safety
 * violation, this module gathers the records into adjacency arrays and runs Tarjan's algorithm over
 * them with the weak-fairness test of `fairness.ts`. It treats symmetry exactly as the depth-first
 * engine does on the fly: each state keeps the permutation to the real state reached along the DFS
 * tree, and an edge that closes a cycle contributes the stabiliser element it implies (`generators`).
 */
import { fairCycleThreads } from './fairness';
import type { FrontierGraph } from './frontier';
import { grown } from './parentTable';
import { labelSigma, labelThread, maskDisabled, maskUnfinished, RECORD_WORDS, STATE_RECORD, StateGraphLog } from './stateGraphLog';
import { permuteMask } from './symmetry';
import type { Bound } from './verdict';

/** Adjacency arrays: the edges of state v are `targets`/`labels` from `first[v]` to `first[v + 1]`. */
interface Adjacency {
  first: Int32Array;
  targets: Int32Array;
  labels: Int32Array;
  masks: Int32Array;
}

function adjacency(chunks: readonly Int32Array[], states: number): Adjacency {
  const first = new Int32Array(states + 1);
  const masks = new Int32Array(states);
  const recorded = new Uint8Array(states);
  const checkId = (id: number): void => {
    if (!(id >= 0 && id < states)) throw new Error(`state graph: state id ${id} is not below the ${states} handed out`);
  };
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += RECORD_WORDS) {
      const source = chunk[at];
      checkId(source);
      if (chunk[at + 1] === STATE_RECORD) {
        masks[source] = chunk[at + 2];
        recorded[source] = 1;
      } else {
        checkId(chunk[at + 1]);
        first[source + 1]++;
      }
    }
  }
  for (let v = 0; v < states; v++) first[v + 1] += first[v];
  const edges = first[states];
  const targets = new Int32Array(edges);
  const labels = new Int32Array(edges);
  const next = first.slice(0, states);
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += RECORD_WORDS) {
      if (chunk[at + 1] === STATE_RECORD) continue;
      const e = next[chunk[at]]++;
      targets[e] = chunk[at + 1];
      labels[e] = chunk[at + 2];
    }
  }
  // Ids no state took (the store hands them out in blocks) are neither expanded nor reached.
  for (let e = 0; e < edges; e++) {
    if (recorded[targets[e]] === 0) throw new Error(`state graph: state ${targets[e]} is reached but was never expanded`);
  }
  for (let v = 0; v < states; v++) {
    if (recorded[v] === 0 && first[v + 1] > first[v]) throw new Error(`state graph: state ${v} has transitions but was never expanded`);
  }
  return { first, targets, labels, masks };
}

/** Bytes the check takes beside the records: its adjacency arrays and Tarjan's, for `records` records of `states` ids. */
export function recordedGraphCheckBytes(records: number, states: number, threads: number): number {
  return records * 8 + states * (45 + threads);
}

/** Edges between two calls of the check's poll. */
const POLL_EDGES = 1 << 16;

/**
 * The spinning threads (real indexes) of a weakly fair cycle reachable from `root` (`{ spinning }`), or
 * undefined when there is none, or the bound `poll` returned (it is called every POLL_EDGES edges).
 * `rootPerm` maps the root's representative to the real initial state; `chunks` hold the records of
 * every state, all with ids below `states`.
 */
export function fairCycleInRecordedGraph(chunks: readonly Int32Array[], states: number, threads: number, root: number,
  rootPerm: Uint8Array, poll: () => Bound | undefined = () => undefined): { spinning: number } | { bound: Bound } | undefined {
  const { first, targets, labels, masks } = adjacency(chunks, states);
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
  const stack = new Int32Array(states);
  let stackSize = 0;
  // The DFS's own stack: a state and its next edge.
  const callState = new Int32Array(states);
  const callEdge = new Int32Array(states);
  let depth = 0;
  let generatorOwner = new Int32Array(16);
  let generatorPerm = new Uint8Array(16 * threads);
  let generatorCount = 0;
  const sigmaInverse = new Uint8Array(threads);
  const g = new Uint8Array(threads);
  let counter = 0;

  const discover = (v: number): void => {
    order[v] = low[v] = counter++;
    position[v] = stackSize;
    stack[stackSize++] = v;
    moved[v] = 0;
    let real = 0;
    for (let x = 0, mask = maskDisabled(masks[v]); mask !== 0; x++, mask >>>= 1) if (mask & 1) real |= 1 << perm[v * threads + x];
    disabled[v] = real;
    callState[depth] = v;
    callEdge[depth] = first[v];
    depth++;
  };
  /** sigmaInverse from a label's permutation (perm[old] = new, old = the source's numbering). */
  const invertLabel = (label: number): void => {
    for (let x = 0; x < threads; x++) sigmaInverse[labelSigma(label, x)] = x;
  };

  perm.set(rootPerm, root * threads);
  discover(root);
  for (let untilPoll = POLL_EDGES; depth > 0; ) {
    if (--untilPoll === 0) {
      untilPoll = POLL_EDGES;
      const bound = poll();
      if (bound) return { bound };
    }
    const v = callState[depth - 1];
    const e = callEdge[depth - 1];
    if (e < first[v + 1]) {
      callEdge[depth - 1] = e + 1;
      const w = targets[e];
      const label = labels[e];
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
      moved[parent] |= 1 << perm[parent * threads + labelThread(labels[callEdge[depth - 1] - 1])];
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
      const unfinished = permuteMask(maskUnfinished(masks[v]), perm.subarray(v * threads, (v + 1) * threads));
      const spinning = fairCycleThreads({ unfinished, moved: movedInside, disabled: disabledInside, generators });
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
  for (let i = 0; i < states.length; i += 4) log.state(idOf(states[i], states[i + 1]), states[i + 2], states[i + 3]);
  for (let i = 0; i < edges.length; i += 5) log.edge(idOf(edges[i], edges[i + 1]), idOf(edges[i + 2], edges[i + 3]), edges[i + 4]);
  return log.filled();
}
