/**
 * Searches under symmetry reduction record choices against stored representatives ("canonical"
 * thread indexes). Lifting replays them: it follows the representatives the same way the search did
 * (each successor re-sorted after the step, `canonicaliseAfterStep`) and keeps the permutation from
 * the representative back to the real state, through which each canonical thread maps to a real one.
 * Without symmetry lifting is plain replay.
 */
import type { Program } from '../model/program';
import { Machine } from '../model/state';
import type { Choice } from '../trace/schedule';
import { invertPermutation, type ThreadSymmetry } from './symmetry';

export interface Lifted {
  /** The real choices. */
  choices: Choice[];
  /** The representative reached, and the permutation that maps it to the real state reached. */
  end: Uint8Array;
  perm: Uint8Array;
}

export class ScheduleLifter {
  private readonly sigma: Uint8Array;
  private readonly inverse: Uint8Array;

  constructor(private readonly program: Program, private readonly symmetry: ThreadSymmetry | undefined) {
    this.sigma = new Uint8Array(program.threadCount);
    this.inverse = new Uint8Array(program.threadCount);
  }

  /** Canonical choices from representative `start`, which stands for the real state perm(start). */
  lift(start: Uint8Array, perm: Uint8Array, canonical: readonly Choice[]): Lifted {
    const m = new Machine(this.program.layout, start.slice());
    let real = perm.slice();
    const choices: Choice[] = [];
    for (const c of canonical) {
      choices.push({ thread: real[c.thread], branch: c.branch });
      this.program.execute(m, c.thread, c.branch);
      if (this.symmetry && this.symmetry.canonicaliseAfterStep(m.s, this.sigma, c.thread)) {
        invertPermutation(this.sigma, this.inverse);
        real = real.map((_, x) => real[this.inverse[x]]);
      }
    }
    return { choices, end: m.s, perm: real };
  }

  /** The representative of a real state and the permutation back to it. */
  represent(state: Uint8Array): { representative: Uint8Array; perm: Uint8Array } {
    const representative = state.slice();
    if (!this.symmetry) return { representative, perm: Uint8Array.from(this.sigma, (_, t) => t) };
    this.symmetry.canonicalise(representative, this.sigma);
    return { representative, perm: invertPermutation(this.sigma, new Uint8Array(this.sigma.length)) };
  }
}
