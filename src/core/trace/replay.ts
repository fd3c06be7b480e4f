/**
 * Replay: rebuild every state of a schedule through the same step function the search used, and
 * produce the trace every consumer reads. A schedule that does not fit the scenario (a blocked or
 * finished thread, a branch out of range) is rejected with the step that failed.
 */
import { findKernel } from '../kernels/versions';
import { Program } from '../model/program';
import { Machine } from '../model/state';
import type { Scenario } from '../scenario/types';
import { deadlockAt, stateFailure, transitionFailure } from '../search/transition';
import type { VerdictKind } from './types';
import { Choice, formatSchedule, Schedule } from './schedule';
import type { Trace, TraceStep, TraceViolation } from './types';
import { objectIds, stateView } from './view';

export class ReplayError extends Error {}

export function programFor(scenario: Scenario, kernelId: string): Program {
  const kernel = findKernel(kernelId);
  if (!kernel) throw new ReplayError(`unknown kernel version "${kernelId}"`);
  return new Program(scenario, kernel);
}

/** The violation of a schedule that ends in a cycle found to be a livelock: at its last step. */
export function livelockViolation(schedule: Schedule): TraceViolation {
  return { step: schedule.prefix.length + (schedule.cycle?.length ?? 0) - 1, property: 'fault-completes', message: 'the last steps repeat forever (livelock)' };
}

export function buildTrace(scenario: Scenario, kernelId: string, schedule: Schedule, verdict: VerdictKind = 'violation'): Trace {
  const program = programFor(scenario, kernelId);
  const props = new Set(scenario.properties);
  let state = program.initialState();
  const steps: TraceStep[] = [];
  const states = [stateView(program, state)];
  let violation: TraceViolation | undefined;
  const initialFailure = stateFailure(program, new Machine(program.layout, state), props);
  if (initialFailure) violation = { step: -1, ...initialFailure };

  const choices: Choice[] = [...schedule.prefix, ...(schedule.cycle ?? [])];
  choices.forEach((choice, i) => {
    if (choice.thread >= program.threadCount) {
      throw new ReplayError(`schedule step ${i + 1}: there is no thread ${choice.thread} (the scenario has ${program.threadCount})`);
    }
    const probe = new Machine(program.layout, state);
    const branches = program.branches(probe, choice.thread);
    const name = program.threadNames[choice.thread];
    if (branches === 0) {
      const next = program.nextStep(state, choice.thread);
      throw new ReplayError(`schedule step ${i + 1}: ${name} cannot move (${next ? `blocked at ${next.step.id}` : 'finished'})`);
    }
    if (choice.branch >= branches) {
      throw new ReplayError(`schedule step ${i + 1}: ${name} has ${branches} choice(s), the schedule asks for choice ${choice.branch}`);
    }
    const m = new Machine(program.layout, state.slice());
    const reads = new Int32Array(program.layout.objectWords);
    const writes = new Int32Array(program.layout.objectWords);
    const scanned = new Int32Array(program.layout.objectWords);
    m.readBits = reads;
    m.writeBits = writes;
    m.scanBits = scanned;
    m.notes = [];
    m.events = [];
    const step = program.execute(m, choice.thread, choice.branch);
    const scans = objectIds(program, scannedOnly(scanned, reads, writes));
    // The trace's reads are the search's footprint, scans included.
    for (let w = 0; w < reads.length; w++) reads[w] |= scanned[w];
    steps.push({
      thread: choice.thread,
      stepId: step.id,
      label: m.notes.length ? m.notes.join('; ') : step.summary,
      anchor: { fn: step.fn, point: step.point },
      reads: objectIds(program, reads),
      writes: objectIds(program, writes),
      ...(scans.length ? { scans } : {}),
      ...(branches > 1 ? { choice: choice.branch } : {}),
      ...(m.events.length ? { events: m.events } : {}),
    });
    state = m.s;
    states.push(stateView(program, state));
    if (!violation) {
      const failure = transitionFailure(program, m, props);
      if (failure) violation = { step: i, ...failure };
    }
  });
  if (!violation && props.has('fault-completes')) {
    const dead = deadlockAt(program, new Machine(program.layout, state));
    if (dead) violation = { step: choices.length - 1, ...dead };
  }
  if (!violation && verdict === 'violation' && schedule.cycle?.length) violation = livelockViolation(schedule);

  return {
    format: 'swaprace.trace',
    version: 1,
    scenario,
    kernel: kernelId,
    verdict,
    schedule: formatSchedule(schedule),
    threads: program.threadNames.map((name) => ({ name })),
    steps,
    states,
    ...(violation ? { violation } : {}),
  };
}

/** Objects an allocator only scanned past: not read outside its scan, nor written. */
export function scannedOnly(scanned: Int32Array, reads: Int32Array, writes: Int32Array): Int32Array {
  return scanned.map((bits, w) => bits & ~reads[w] & ~writes[w]);
}
