/**
 * A 10,000-step trace for the e2e test of the timeline's virtualised rendering: anon-direct-aba on v6.8,
 * where T1 spins in the pin's retry loop (7 steps a turn) while T0 holds SWAP_HAS_CACHE, then everyone
 * finishes. Built by replaying a schedule, so it is a real, valid trace file.
 */
import { buildTrace, getBuiltinScenario, parseSchedule } from '../../src/core';
import { serializeTrace } from '../../src/core/trace/file';

const PIN_TAKEN = 5;
const SPIN_PERIOD = 7;

/** Appends choices of `thread` while it can move. */
function runToEnd(choices: number[], thread: number, replays: (choices: number[]) => boolean): void {
  while (replays([...choices, thread])) choices.push(thread);
}

export function longTraceText(minimumSteps = 10_000): { text: string; steps: number } {
  const scenario = getBuiltinScenario('anon-direct-aba')!;
  const replays = (choices: number[]) => {
    try {
      buildTrace(scenario, 'v6.8', parseSchedule(choices.join('.')), 'verified');
      return true;
    } catch {
      return false;
    }
  };
  // Find the ending on a short spin, then lengthen the spin by whole turns: each returns to the same state.
  const head = [...Array(PIN_TAKEN).fill(0), ...Array(SPIN_PERIOD).fill(1)];
  const tail: number[] = [...head];
  for (const thread of [0, 1, 2]) runToEnd(tail, thread, replays);
  const turns = Math.ceil((minimumSteps - tail.length) / SPIN_PERIOD);
  const choices = [...head, ...Array(turns * SPIN_PERIOD).fill(1), ...tail.slice(head.length)];
  const trace = buildTrace(scenario, 'v6.8', parseSchedule(choices.join('.')), 'verified');
  return { text: serializeTrace(trace), steps: trace.steps.length };
}
