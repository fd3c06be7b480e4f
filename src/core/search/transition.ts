/**
 * The checks every strategy and replay apply after a step, so they agree on what a violation is.
 */
import { checkQuiescent, checkSwapCounts, PropertyFailure } from '../model/properties';
import type { Program } from '../model/program';
import { Machine } from '../model/state';
import type { PropertyId } from '../scenario/types';

/** The first property the state reached through this transition breaks, if any. */
export function transitionFailure(program: Program, m: Machine, props: ReadonlySet<PropertyId>): PropertyFailure | undefined {
  const v = m.violation;
  if (v && props.has(v.property as PropertyId)) return { property: v.property as PropertyId, message: v.message };
  return stateFailure(program, m, props);
}

export function stateFailure(program: Program, m: Machine, props: ReadonlySet<PropertyId>): PropertyFailure | undefined {
  if (props.has('swap-count-consistent')) {
    const f = checkSwapCounts(m);
    if (f) return f;
  }
  if (program.allFinished(m.s)) return checkQuiescent(program, m, props);
  return undefined;
}

/** A state where some thread has not finished and no thread can move. */
export function deadlockFailure(program: Program, m: Machine, enabledThreads: number): PropertyFailure | undefined {
  if (enabledThreads > 0 || program.allFinished(m.s)) return undefined;
  const waiting = program.threadNames.filter((_, t) => !program.isFinished(m.s, t));
  const where = waiting.map((name) => {
    const t = program.threadNames.indexOf(name);
    return `${name} at ${program.nextStep(m.s, t)!.step.id}`;
  });
  return { property: 'fault-completes', message: `deadlock: ${where.join(', ')} wait forever` };
}

/** `deadlockFailure` of m's state, counting its enabled threads. */
export function deadlockAt(program: Program, m: Machine): PropertyFailure | undefined {
  let enabled = 0;
  for (let t = 0; t < program.threadCount; t++) if (program.branches(m, t) > 0) enabled++;
  return deadlockFailure(program, m, enabled);
}

/** Runs one choice from a state and returns the successor machine (the input state is not modified). */
export function successor(program: Program, state: Uint8Array, thread: number, branch: number): Machine {
  const m = new Machine(program.layout, state.slice());
  program.execute(m, thread, branch);
  return m;
}
