/**
 * The top of the state graph, explored breadth-first until a level holds enough states to share out:
 * shards and parallel workers each search from their part of that frontier. States above the frontier
 * are fully expanded here (their properties, deadlocks and outgoing steps checked), so a search below
 * may treat them as done. Nodes keep real states and real schedules; duplicates are found through the
 * symmetry representative.
 */
import type { Program } from '../model/program';
import { Machine } from '../model/state';
import type { PropertyId } from '../scenario/types';
import type { Choice } from '../trace/schedule';
import type { Root } from './depthFirst';
import { fingerprintWords } from './fingerprint';
import { FingerprintIndex } from './fingerprintIndex';
import { OperationClasses } from './graphPartition';
import { StateFrames } from './stateFrames';
import { packLabel, packPermutation } from './stateGraphLog';
import { invertPermutation, ThreadSymmetry } from './symmetry';
import { deadlockFailure, stateFailure, transitionFailure } from './transition';
import type { SearchLimits, SearchOutcome } from './verdict';

export interface Frontier {
  /** A violation found above the frontier (every part would report it). */
  violation?: SearchOutcome;
  /** The states bound met above the frontier (every part would meet it). */
  bounded?: SearchOutcome;
  /** Fingerprints (pairs) of the representatives above the frontier. */
  above: number[];
  /** The frontier, in breadth-first order. */
  roots: Root[];
  /** Fingerprints (pairs) of the roots' representatives, in the roots' order. */
  rootKeys: number[];
  /** Some edge above the frontier goes back up or across a level: a cycle may lie entirely above it. */
  cycleAbovePossible: boolean;
  transitions: number;
}

/**
 * The quotient graph above the frontier, by fingerprint, for the parallel livelock check (which records
 * the rest as it searches below): what `StateGraphLog` records, by fingerprint instead of id, threads
 * numbered as each representative numbers them.
 */
export interface FrontierGraph {
  /** Per state above the frontier: h1, h2, disabled threads, unfinished threads, its bucket (`graphPartition.ts`), its number of edges. */
  states: number[];
  /** Per edge, the states' edges in order: target h1, h2, label (`packLabel`). */
  edges: number[];
}

/** Frontier levels stop growing here: deeper splits buy little balance for their cost. */
const MAX_FRONTIER_DEPTH = 24;

export function topLevels(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, symmetry: boolean, wanted: number,
  graph?: FrontierGraph): Frontier {
  const sym = symmetry ? ThreadSymmetry.of(program) : undefined;
  const threads = program.threadCount;
  // The identity unless symmetry permutes: canonicalise rewrites it.
  const sigma = Uint8Array.from({ length: threads }, (_, t) => t);
  // The node's canonicalising permutation (real thread r is its representative's sigmaNode[r]), its inverse, and an edge's label permutation.
  const sigmaNode = new Uint8Array(threads);
  const nodeInverse = new Uint8Array(threads);
  const labelSigma = new Uint8Array(threads);
  const scratch = new StateFrames(program.layout.size, 1);
  const fp = new Int32Array(2);
  const depthOf = new FingerprintIndex();
  /** Leaves the fingerprint of the representative of `s` in fp. */
  const fingerprint = (s: Uint8Array): void => {
    scratch.write(0, s);
    if (sym) sym.canonicalise(scratch.view(0), sigma);
    fingerprintWords(scratch.ints, 0, scratch.words, fp);
  };
  const result: Frontier = { above: [], roots: [], rootKeys: [], cycleAbovePossible: false, transitions: 0 };
  const checkDeadlock = props.has('fault-completes');
  const classes = graph ? new OperationClasses(program) : undefined;

  const initial = program.initialState();
  const initialFailure = stateFailure(program, new Machine(program.layout, initial), props);
  if (initialFailure) {
    result.violation = { verdict: 'violation', ...initialFailure, schedule: { prefix: [] }, stats: { states: 1, transitions: 0, ms: 0, maxDepth: 0 } };
    return result;
  }
  fingerprint(initial);
  depthOf.set(fp[0], fp[1], 0);
  let level: Root[] = [{ state: initial, prefix: [] }];
  /** Fingerprints (pairs) of the level's nodes, taken when each was found. */
  let levelKeys: number[] = [fp[0], fp[1]];
  for (let depth = 0; level.length < wanted && depth < Math.min(MAX_FRONTIER_DEPTH, limits.maxDepth) && level.length > 0; depth++) {
    const next: Root[] = [];
    const nextKeys: number[] = [];
    for (let i = 0; i < level.length; i++) {
      const node = level[i];
      result.above.push(levelKeys[2 * i], levelKeys[2 * i + 1]);
      const probe = new Machine(program.layout, node.state);
      const branches = Array.from({ length: threads }, (_, t) => program.branches(probe, t));
      if (graph) {
        fingerprint(node.state);
        sigmaNode.set(sigma);
        invertPermutation(sigmaNode, nodeInverse);
        let disabled = 0;
        let unfinished = 0;
        for (let r = 0; r < threads; r++) {
          if (branches[r] === 0) disabled |= 1 << sigmaNode[r];
          if (!program.isFinished(node.state, r)) unfinished |= 1 << sigmaNode[r];
        }
        graph.states.push(levelKeys[2 * i], levelKeys[2 * i + 1], disabled, unfinished, classes!.bucketOf(node.state), 0);
      }
      if (checkDeadlock) {
        const dead = deadlockFailure(program, probe, branches.filter((n) => n > 0).length);
        if (dead) return { ...result, violation: violationAt(dead, node.prefix, depthOf.size, result.transitions) };
      }
      for (let t = 0; t < threads; t++) {
        for (let b = 0; b < branches[t]; b++) {
          const m = new Machine(program.layout, node.state.slice());
          const operation = program.operationIndex(m.s, t);
          program.execute(m, t, b);
          result.transitions++;
          const choice: Choice = { thread: t, branch: b };
          const failure = transitionFailure(program, m, props);
          if (failure) return { ...result, violation: violationAt(failure, [...node.prefix, choice], depthOf.size, result.transitions) };
          fingerprint(m.s);
          // A step that completes an operation lies on no cycle: the livelock check does without it.
          if (graph && program.operationIndex(m.s, t) === operation) {
            // Canonical thread y of the source is real nodeInverse[y], which the target's representative numbers sigma[...].
            for (let y = 0; y < threads; y++) labelSigma[y] = sigma[nodeInverse[y]];
            graph.edges.push(fp[0], fp[1], packLabel(sigmaNode[t], b, packPermutation(labelSigma)));
            graph.states[graph.states.length - 1]++;
          }
          const known = depthOf.get(fp[0], fp[1]);
          if (known < 0) {
            depthOf.set(fp[0], fp[1], depth + 1);
            if (depthOf.size > limits.maxStates) {
              return { ...result, bounded: { verdict: 'bounded', bound: 'states', stats: { states: depthOf.size, transitions: result.transitions, ms: 0, maxDepth: depth + 1 } } };
            }
            next.push({ state: m.s, prefix: [...node.prefix, choice] });
            nextKeys.push(fp[0], fp[1]);
          } else if (known <= depth) {
            result.cycleAbovePossible = true;
          }
        }
      }
    }
    level = next;
    levelKeys = nextKeys;
  }
  result.roots = level;
  result.rootKeys = levelKeys;
  return result;
}

function violationAt(failure: { property: PropertyId; message: string }, prefix: Choice[], states: number, transitions: number): SearchOutcome {
  return { verdict: 'violation', ...failure, schedule: { prefix }, stats: { states, transitions, ms: 0, maxDepth: prefix.length } };
}

/** Which part of `count` a frontier root belongs to: a hash of its first choices. */
export function ownerOf(prefix: readonly Choice[], count: number): number {
  let h = 0x811c9dc5;
  for (const c of prefix) {
    h = Math.imul(h ^ c.thread, 0x01000193);
    h = Math.imul(h ^ (c.branch + 0x100), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) % count;
}
