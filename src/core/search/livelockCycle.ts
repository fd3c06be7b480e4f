/**
 * The lasso of a livelock: from the root of a weakly fair component, a shortest cycle back to the
 * root inside the component (breadth-first over its stored states, as the reference does), lifted to
 * real threads. Under symmetry one trip around a quotient cycle may end in a permuted copy of the real
 * start; repeating it reaches a real state seen before, and the part from that state on is the cycle.
 */
import type { Program } from '../model/program';
import { Machine, stateKey } from '../model/state';
import type { Choice } from '../trace/schedule';
import { fingerprintWords } from './fingerprint';
import { FingerprintSet } from './fingerprintSet';
import { ScheduleLifter } from './lift';
import { ParentTable } from './parentTable';
import { StateFrames } from './stateFrames';
import type { ThreadSymmetry } from './symmetry';

export interface Lasso {
  /** Choices from the root to the first state of the cycle. */
  lead: Choice[];
  cycle: Choice[];
}

/** `root` is the component's stored representative; `rootPerm` maps it to the real state reached. */
export function livelockLasso(program: Program, symmetry: ThreadSymmetry | undefined, root: Uint8Array, rootPerm: Uint8Array,
  members: FingerprintSet): Lasso {
  const quotientCycle = shortestCycle(program, symmetry, root, members);
  const lifter = new ScheduleLifter(program, symmetry);
  const seen = new Map<string, number>();
  const trips: Choice[][] = [];
  let at = { representative: root, perm: rootPerm };
  for (;;) {
    const real = at.representative.slice();
    if (symmetry) symmetry.permute(real, at.perm);
    const first = seen.get(stateKey(real));
    if (first !== undefined) return { lead: trips.slice(0, first).flat(), cycle: trips.slice(first).flat() };
    seen.set(stateKey(real), trips.length);
    const trip = lifter.lift(at.representative, at.perm, quotientCycle);
    trips.push(trip.choices);
    at = { representative: trip.end, perm: trip.perm };
  }
}

/** Canonical choices of a shortest path from `root` back to itself through `members`. */
function shortestCycle(program: Program, symmetry: ThreadSymmetry | undefined, root: Uint8Array, members: FingerprintSet): Choice[] {
  const threads = program.threadCount;
  const nodes = new StateFrames(program.layout.size, 64);
  const parents = new ParentTable();
  const queued = new FingerprintSet(64, false);
  const fp = new Int32Array(2);
  const sigma = new Uint8Array(threads);
  nodes.write(0, root);
  fingerprintWords(nodes.ints, 0, nodes.words, fp);
  const rootH1 = fp[0];
  const rootH2 = fp[1];
  queued.add(rootH1, rootH2);
  parents.push(-1, 0, 0);
  for (let node = 0; node < parents.size; node++) {
    for (let t = 0; t < threads; t++) {
      const branches = program.branches(new Machine(program.layout, nodes.view(node)), t);
      for (let b = 0; b < branches; b++) {
        const next = parents.size;
        nodes.ensure(next);
        nodes.copy(node, next);
        program.execute(new Machine(program.layout, nodes.view(next)), t, b);
        if (symmetry) symmetry.canonicaliseAfterStep(nodes.view(next), sigma, t);
        fingerprintWords(nodes.ints, nodes.wordOffset(next), nodes.words, fp);
        if (fp[0] === rootH1 && fp[1] === rootH2) return [...parents.pathTo(node), { thread: t, branch: b }];
        if (members.find(fp[0], fp[1]) < 0 || queued.add(fp[0], fp[1]) < 0) continue;
        parents.push(node, t, b);
      }
    }
  }
  throw new Error('livelock: the component has no cycle through its root');
}
