/**
 * Schedules: the list of choices that reproduces an execution. Printable form: thread indexes joined by
 * dots, a branch (allocator choice) after a slash, and for a livelock the repeating part after a tilde:
 * `0.0.1.2/1.1~1.1.1`.
 */

export interface Choice {
  thread: number;
  branch: number;
}

export interface Schedule {
  prefix: Choice[];
  /** For a livelock: the choices that repeat forever after the prefix. */
  cycle?: Choice[];
}

const choiceText = (c: Choice): string => (c.branch ? `${c.thread}/${c.branch}` : `${c.thread}`);

export function formatSchedule(s: Schedule): string {
  const prefix = s.prefix.map(choiceText).join('.');
  return s.cycle && s.cycle.length ? `${prefix}~${s.cycle.map(choiceText).join('.')}` : prefix;
}

export class ScheduleSyntaxError extends Error {}

const CHOICE = /^(\d{1,3})(?:\/(\d{1,4}))?$/;

function parseChoices(text: string, offset: number): Choice[] {
  if (text.trim() === '') return [];
  let position = offset;
  return text.split('.').map((part) => {
    const match = CHOICE.exec(part.trim());
    if (!match) throw new ScheduleSyntaxError(`schedule: character ${position + 1}: expected a thread index like 0 or 2/1, got "${part}"`);
    position += part.length + 1;
    return { thread: Number(match[1]), branch: match[2] ? Number(match[2]) : 0 };
  });
}

export function parseSchedule(text: string): Schedule {
  if (text.length > 200_000) throw new ScheduleSyntaxError('schedule: longer than 200000 characters');
  const [prefix, cycle, extra] = text.trim().split('~');
  if (extra !== undefined) throw new ScheduleSyntaxError('schedule: more than one "~"');
  if (cycle !== undefined && cycle.trim() === '') throw new ScheduleSyntaxError('schedule: "~" must be followed by the steps that repeat');
  const parsed: Schedule = { prefix: parseChoices(prefix, 0) };
  if (cycle !== undefined) parsed.cycle = parseChoices(cycle, prefix.length + 1);
  return parsed;
}

/**
 * What is wrong with a schedule typed for a scenario whose threads are `threadNames` (in order), or undefined
 * when nothing is: its syntax, then a thread index the scenario does not have. Replay Schedule's input box
 * shows it as the user types; whether each step can run (a blocked thread, an allocator choice out of range)
 * is known only by replaying.
 */
export function scheduleProblem(text: string, threadNames: readonly string[]): string | undefined {
  let schedule: Schedule;
  try {
    schedule = parseSchedule(text);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const missing = [...schedule.prefix, ...(schedule.cycle ?? [])].find((choice) => choice.thread >= threadNames.length);
  if (missing === undefined) return undefined;
  const has =
    threadNames.length === 0
      ? 'no threads'
      : threadNames.length === 1
        ? `only thread 0 (${threadNames[0]})`
        : `threads 0-${threadNames.length - 1} (${threadNames.join(', ')})`;
  return `thread ${missing.thread} does not exist: the scenario has ${has}`;
}
