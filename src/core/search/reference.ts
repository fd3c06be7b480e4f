/**
 * The plain reference explorer: breadth-first over every interleaving, exact state keys, no reduction.
 * Slow but simple enough to trust; it is the oracle the fast strategies are checked against.
 * Safety violations come out shortest (BFS order). After a complete search, livelocks are found as
 * strongly connected components that admit a weakly fair cycle (SPIN's -f): every unfinished thread
 * either moves inside the component or is disabled somewhere in it. A pin holder that is merely never
 * scheduled is therefore not a livelock.
 */
import type { Program } from '../model/program';
import { Machine, stateKey } from '../model/state';
import type { PropertyId } from '../scenario/types';
import type { Choice } from '../trace/schedule';
import { deadlockFailure, stateFailure, successor, transitionFailure } from './transition';
import type { SearchLimits, SearchOutcome } from './verdict';

interface Graph {
  edgeStart: number[];
  edgeTarget: number[];
  edgeThread: number[];
  enabledMask: number[];
}

export function exploreReference(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits): SearchOutcome {
  const started = Date.now();
  const threads = program.threadCount;
  const states: Uint8Array[] = [];
  const parent: number[] = [];
  const parentChoice: Choice[] = [];
  const depth: number[] = [];
  const index = new Map<string, number>();
  const graph: Graph = { edgeStart: [], edgeTarget: [], edgeThread: [], enabledMask: [] };
  let transitions = 0;
  let maxDepth = 0;
  let cut: SearchOutcome['bound'];

  const stats = () => ({ states: states.length, transitions, ms: Date.now() - started, maxDepth });
  const pathTo = (i: number): Choice[] => {
    const choices: Choice[] = [];
    for (let at = i; at > 0; at = parent[at]) choices.push(parentChoice[at]);
    return choices.reverse();
  };
  const add = (s: Uint8Array, from: number, choice: Choice | undefined): number => {
    const key = stateKey(s);
    const known = index.get(key);
    if (known !== undefined) return known;
    const i = states.length;
    index.set(key, i);
    states.push(s);
    parent.push(from);
    parentChoice.push(choice ?? { thread: 0, branch: 0 });
    depth.push(from < 0 ? 0 : depth[from] + 1);
    return i;
  };

  const initial = program.initialState();
  add(initial, -1, undefined);
  const initialFailure = stateFailure(program, new Machine(program.layout, initial), props);
  if (initialFailure) return { verdict: 'violation', ...initialFailure, schedule: { prefix: [] }, stats: stats() };

  for (let i = 0; i < states.length; i++) {
    if ((i & 1023) === 0) {
      if (limits.isCancelled?.()) return { verdict: 'bounded', bound: 'cancelled', stats: stats() };
      if (Date.now() - started > limits.timeoutMs) return { verdict: 'bounded', bound: 'time', stats: stats() };
      limits.onProgress?.(stats());
    }
    const state = states[i];
    graph.edgeStart[i] = graph.edgeTarget.length;
    maxDepth = Math.max(maxDepth, depth[i]);
    const probe = new Machine(program.layout, state);
    let enabledMask = 0;
    let enabled = 0;
    const branchCounts: number[] = [];
    for (let t = 0; t < threads; t++) {
      const n = program.branches(probe, t);
      branchCounts.push(n);
      if (n > 0) {
        enabledMask |= 1 << t;
        enabled++;
      }
    }
    graph.enabledMask[i] = enabledMask;
    if (props.has('fault-completes')) {
      const dead = deadlockFailure(program, probe, enabled);
      if (dead) return { verdict: 'violation', ...dead, schedule: { prefix: pathTo(i) }, stats: stats() };
    }
    if (depth[i] >= limits.maxDepth) {
      if (enabled > 0) cut = 'depth';
      continue;
    }
    for (let t = 0; t < threads; t++) {
      for (let b = 0; b < branchCounts[t]; b++) {
        transitions++;
        const m = successor(program, state, t, b);
        const failure = transitionFailure(program, m, props);
        if (failure) {
          return { verdict: 'violation', ...failure, schedule: { prefix: [...pathTo(i), { thread: t, branch: b }] }, stats: stats() };
        }
        if (states.length >= limits.maxStates && !index.has(stateKey(m.s))) {
          return { verdict: 'bounded', bound: 'states', stats: stats() };
        }
        const j = add(m.s, i, { thread: t, branch: b });
        graph.edgeTarget.push(j);
        graph.edgeThread.push(t);
      }
    }
  }
  graph.edgeStart[states.length] = graph.edgeTarget.length;

  if (props.has('fault-completes') && !cut) {
    const livelock = findFairCycle(program, states, graph);
    if (livelock) {
      const entry = livelock.cycleStates[0];
      return {
        verdict: 'violation',
        property: 'fault-completes',
        message: livelock.message,
        schedule: { prefix: pathTo(entry), cycle: livelock.cycle },
        stats: stats(),
      };
    }
  }
  return cut ? { verdict: 'bounded', bound: cut, stats: stats() } : { verdict: 'verified', stats: stats() };
}

interface FairCycle {
  cycleStates: number[];
  cycle: Choice[];
  message: string;
}

/** Tarjan's SCCs (iterative), then the weak-fairness test per component. */
function findFairCycle(program: Program, states: Uint8Array[], g: Graph): FairCycle | undefined {
  const n = states.length;
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    const work: [number, number][] = [[root, g.edgeStart[root]]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const frame = work[work.length - 1];
      const v = frame[0];
      if (frame[1] < g.edgeStart[v + 1]) {
        const w = g.edgeTarget[frame[1]++];
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, g.edgeStart[w]]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], order[w]);
        }
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1][0]] = Math.min(low[work[work.length - 1][0]], low[v]);
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }

  const threads = program.threadCount;
  const members: number[][] = Array.from({ length: components }, () => []);
  for (let v = 0; v < n; v++) members[comp[v]].push(v);
  for (const scc of members) {
    const c = comp[scc[0]];
    let moved = 0;
    let disabledSomewhere = 0;
    let internalEdges = 0;
    for (const v of scc) {
      disabledSomewhere |= ~g.enabledMask[v] & ((1 << threads) - 1);
      for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
        if (comp[g.edgeTarget[e]] !== c) continue;
        internalEdges++;
        moved |= 1 << g.edgeThread[e];
      }
    }
    if (internalEdges === 0) continue;
    const unfinished = program.threadNames.map((_, t) => t).filter((t) => !program.isFinished(states[scc[0]], t));
    const fair = unfinished.every((t) => (moved >> t) & 1 || (disabledSomewhere >> t) & 1);
    if (!fair) continue;
    const spinning = unfinished.filter((t) => (moved >> t) & 1).map((t) => program.threadNames[t]);
    const cycle = cycleThrough(scc[0], c, comp, g);
    return {
      cycleStates: [scc[0]],
      cycle,
      message: `livelock: ${spinning.join(', ')} can loop forever without completing, although every thread that stays enabled keeps running`,
    };
  }
  return undefined;
}

/** A shortest cycle from `start` back to itself inside its component (BFS over internal edges). */
function cycleThrough(start: number, c: number, comp: Int32Array, g: Graph): Choice[] {
  const back = new Map<number, { from: number; choice: Choice }>();
  const queue = [start];
  for (let qi = 0; qi < queue.length; qi++) {
    const v = queue[qi];
    for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
      const w = g.edgeTarget[e];
      if (comp[w] !== c) continue;
      const choice = { thread: g.edgeThread[e], branch: branchOf(g, v, e) };
      if (w === start) {
        const choices: Choice[] = [choice];
        for (let at = v; at !== start; at = back.get(at)!.from) choices.push(back.get(at)!.choice);
        return choices.reverse();
      }
      if (!back.has(w)) {
        back.set(w, { from: v, choice });
        queue.push(w);
      }
    }
  }
  return [];
}

/** Edges of a state are stored thread by thread, branch by branch: the branch is the offset in its run. */
function branchOf(g: Graph, v: number, e: number): number {
  let first = e;
  while (first > g.edgeStart[v] && g.edgeThread[first - 1] === g.edgeThread[e]) first--;
  return e - first;
}
