/**
 * Searches under symmetry reduction record choices against stored representatives ("canonical"
 * thread indexes). Lifting replays them from a real state: at each step the real state is
 * canonicalised, and the canonical thread is mapped back through that permutation. Without symmetry
 * lifting is plain replay.
 */
import type { Program } from '../model/program';
import { Machine } from '../model/state';
import type { Choice } from '../trace/schedule';
import { invertPermutation, type ThreadSymmetry } from './symmetry';

export class ScheduleLifter {
  private readonly sigma: Uint8Array;
  private readonly inverse: Uint8Array;

  constructor(private readonly program: Program, private readonly symmetry: ThreadSymmetry | undefined) {
    this.sigma = new Uint8Array(program.threadCount);
    this.inverse = new Uint8Array(program.threadCount);
  }

  /** The real choice that canonical choice `c` stands for at real state `real`. */
  realChoice(real: Uint8Array, c: Choice): Choice {
    if (!this.symmetry) return c;
    this.symmetry.canonicalise(real.slice(), this.sigma);
    return { thread: invertPermutation(this.sigma, this.inverse)[c.thread], branch: c.branch };
  }

  /** The real state after a real choice. */
  step(real: Uint8Array, c: Choice): Uint8Array {
    const m = new Machine(this.program.layout, real.slice());
    this.program.execute(m, c.thread, c.branch);
    return m.s;
  }

  /** Replays canonical choices from a real state: the real choices and the real end state. */
  lift(start: Uint8Array, canonical: readonly Choice[]): { choices: Choice[]; end: Uint8Array } {
    const choices: Choice[] = [];
    let real = start;
    for (const c of canonical) {
      const choice = this.realChoice(real, c);
      choices.push(choice);
      real = this.step(real, choice);
    }
    return { choices, end: real };
  }
}
