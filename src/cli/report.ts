/** The plain-words output of a verdict: what failed, the schedule, and the steps that lead there. */
import { parseSchedule } from '../core';
import { shardName, type ResultJson } from './resultJson';
import { count, printable, seconds, table } from './text';

/** What every printed verdict has, whether it comes from a search, a replay or a merge; only a search has a shard. */
export type Outcome = Pick<ResultJson, 'scenario' | 'kernel' | 'verdict' | 'property' | 'message' | 'schedule' | 'threads' | 'steps' | 'violationStep' | 'why'> &
  Partial<Pick<ResultJson, 'shard'>>;

/** The verdict in words; a replay judges one execution and a shard part of a search, so neither claims "verified". */
export function outcomeLines(outcome: Outcome, source: 'search' | 'replay'): string[] {
  const onlyThisExecution = source === 'replay' && outcome.verdict !== 'violation';
  const lines = [`${printable(outcome.scenario)} on ${printable(outcome.kernel)}: ${headline(outcome, onlyThisExecution)}`];
  if (!onlyThisExecution) lines.push(`  ${printable(outcome.message)}`);
  if (outcome.why.length) lines.push('why:', ...outcome.why.map((line) => `  ${printable(line)}`));
  if (outcome.schedule !== null && (outcome.verdict === 'violation' || source === 'replay')) lines.push(`schedule: ${printable(outcome.schedule) || '(empty: the initial state)'}`);
  return outcome.steps.length > 0 || outcome.violationStep === -1 ? [...lines, ...stepLines(outcome)] : lines;
}

function headline(outcome: Outcome, onlyThisExecution: boolean): string {
  if (outcome.verdict === 'violation') return `VIOLATION of ${outcome.property}`;
  if (onlyThisExecution) return 'no property fails along this schedule';
  if (outcome.verdict === 'bounded') return 'BOUNDED';
  return outcome.shard ? `no violation in ${shardName(outcome.shard)}` : 'verified';
}

function stepLines(outcome: Outcome): string[] {
  if (outcome.violationStep === -1) return ['the initial state already breaks the property'];
  const repeatsFrom = cycleStart(outcome.schedule);
  const rows = outcome.steps.map((step, i) => {
    const marker = i === outcome.violationStep ? '>' : repeatsFrom !== undefined && i >= repeatsFrom ? '~' : ' ';
    const thread = outcome.threads[step.thread] ?? `thread ${step.thread}`;
    const failure = i === outcome.violationStep ? `   <- ${outcome.property ?? 'the property'} fails here` : '';
    return [`${marker}${String(i + 1).padStart(4)}`, printable(thread), printable(step.stepId), printable(step.label) + failure];
  });
  const legend = repeatsFrom !== undefined ? ' (~: repeats forever)' : '';
  return [`steps (#, thread, step, what happened)${legend}:`, ...table(rows).map((line) => ` ${line}`)];
}

function cycleStart(schedule: string | null): number | undefined {
  if (!schedule?.includes('~')) return undefined;
  try {
    return parseSchedule(schedule).prefix.length;
  } catch {
    // A schedule from a merged file may be anything; without a readable cycle there is nothing to mark.
    return undefined;
  }
}

export function statsLine(result: Pick<ResultJson, 'stats' | 'limits' | 'strategy'>): string {
  const { stats, limits } = result;
  const strategy = result.strategy ? `strategy ${result.strategy}; ` : '';
  return (
    `searched ${count(stats.states)} states and ${count(stats.transitions)} transitions, depth ${stats.maxDepth}, in ${seconds(stats.ms)} ` +
    `(${strategy}limits: ${count(limits.maxStates)} states, depth ${limits.maxDepth}, ${seconds(limits.timeoutMs)}` +
    `${limits.maxMemoryMb !== undefined ? `, ${count(limits.maxMemoryMb)} MiB` : ''})`
  );
}
