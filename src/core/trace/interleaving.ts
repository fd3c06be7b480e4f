/**
 * A trace as the plain-text interleaving diagram of kernel commit messages and LKML threads: a column per
 * thread, time going down, each thread's steps under the kernel function they run in, the failing step
 * marked. Plain ASCII-friendly text in at most 72 columns, so it can be pasted into a mail or a commit
 * message as it is. Columns narrower than MIN_COLUMN say nothing, so with more threads than fit side by
 * side (five or more) the steps are listed down the page instead, each run of one thread's steps under its
 * name. Names come from scenario files others may have written: control characters are escaped, like
 * every export's, and a name too long for its column is cut there (only the schedule's line and a
 * function's name may run past 72 columns).
 */
import { escapeControlCharacters } from '../controlCharacters';
import { findKernel } from '../kernels/versions';
import { Program } from '../model/program';
import { parseSchedule } from './schedule';
import type { Trace, TraceStep } from './types';

/** The width commit messages wrap at, and the narrowest a column gets. */
const TEXT_WIDTH = 72;
const MIN_COLUMN = 16;
const GAP = 2;
/** The widest a thread's name gets in the list layout, before the gap. */
const MAX_LIST_NAME = 12;

/** Lines of one thread's column, stacked under the lines of the steps before it. */
interface Block {
  thread: number;
  lines: string[];
}

export function toInterleaving(trace: Trace): string {
  const threads = trace.threads.length;
  const sideBySide = threads * MIN_COLUMN + GAP * (threads - 1) <= TEXT_WIDTH;
  const nameWidth = Math.min(MAX_LIST_NAME, Math.max(1, ...trace.threads.map((thread) => plain(thread.name).length)));
  // Side by side: the width of a thread's column. Listed: the width right of the names.
  const column = sideBySide ? Math.floor((TEXT_WIDTH - GAP * (threads - 1)) / Math.max(1, threads)) : TEXT_WIDTH - nameWidth - GAP;
  const { violation } = trace;
  const schedule = parseSchedule(trace.schedule);
  const repeatsFrom = schedule.cycle?.length ? schedule.prefix.length : undefined;
  const head = [`${plain(trace.scenario.id)} on ${plain(trace.kernel)}`, `schedule ${plain(trace.schedule) || '(empty)'}`];
  if (violation) head.push(...wrap(`${violation.property}: ${plain(violation.message)}`, TEXT_WIDTH));
  else head.push(trace.verdict === 'verified' ? 'no violation along this schedule' : plain(trace.verdict));

  const summaries = stepSummaries(trace);
  const blocks: Block[] = [];
  if (violation?.step === -1) blocks.push({ thread: 0, lines: wrap(`(the initial state already breaks ${violation.property})`, column) });
  let runningIn: string | undefined;
  trace.steps.forEach((step, i) => {
    let block = blocks[blocks.length - 1];
    if (!block || block.thread !== step.thread) {
      block = { thread: step.thread, lines: [] };
      blocks.push(block);
      runningIn = undefined;
    }
    if (i === repeatsFrom) {
      block.lines.push(...wrap('(from here on, repeats forever)', column));
      runningIn = undefined;
    }
    // A function's name is never cut: it runs past its column, where no other thread writes on that line.
    if (step.anchor.fn !== runningIn) block.lines.push(`${plain(step.anchor.fn)}()`);
    runningIn = step.anchor.fn;
    block.lines.push(...wrap(stepText(step, summaries), column - 2).map((line) => `  ${line}`));
    if (violation?.step === i) block.lines.push(...wrap(`<- ${violation.property} fails here`, column - 2).map((line) => `  ${line}`));
  });

  const rows = sideBySide ? sideBySideRows(trace, blocks, column) : listedRows(trace, blocks, nameWidth);
  return [...head, '', ...rows].join('\n') + '\n';
}

/** A column per thread, headed by its name. */
function sideBySideRows(trace: Trace, blocks: readonly Block[], column: number): string[] {
  const names = trace.threads.map((thread) => wrap(plain(thread.name), column)[0] ?? '');
  const rows = [row(names, column), row(names.map((name) => '-'.repeat(Math.max(1, name.length))), column)];
  for (const block of blocks) {
    for (const line of block.lines) rows.push(row(trace.threads.map((_, t) => (t === block.thread ? line : '')), column));
  }
  return rows;
}

/** Each block's lines right of its thread's name, which heads the block's first line. */
function listedRows(trace: Trace, blocks: readonly Block[], nameWidth: number): string[] {
  const names = trace.threads.map((thread) => wrap(plain(thread.name), nameWidth)[0] ?? '');
  return blocks.flatMap((block) => block.lines.map((line, i) => row([i === 0 ? names[block.thread] : '', line], nameWidth)));
}

/**
 * What a step did with this execution's values (`pte_same() passes: PTE still swap(slot 0)`); a step with
 * none to tell is labelled with its generic summary, which would only fill the narrow column: its point
 * in the function (`folio_lock`) says it.
 */
function stepText(step: TraceStep, summaries: ReadonlyMap<string, string>): string {
  return plain(step.label && step.label !== summaries.get(step.stepId) ? step.label : step.anchor.point);
}

/** The generic summary of each step of the trace's program, by step id. */
function stepSummaries(trace: Trace): Map<string, string> {
  const kernel = findKernel(trace.kernel);
  return new Map(kernel ? new Program(trace.scenario, kernel).allSteps().map((step) => [step.id, step.summary]) : []);
}

function row(cells: readonly string[], column: number): string {
  return cells.map((cell) => cell.padEnd(column)).join(' '.repeat(GAP)).trimEnd();
}

/** One line of text with control characters escaped. */
function plain(text: string): string {
  return escapeControlCharacters(text.replace(/[\r\n\t]+/g, ' '));
}

/**
 * Words into lines of at most `width` characters; a parenthesised group (`swap(slot 0)`) is kept whole
 * when it fits, and a word longer than a line is cut.
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const group of text.match(/[^\s(]*\([^)]*\)\S*|\S+/g) ?? []) {
    const words = group.length <= width ? [group] : group.split(' ').filter(Boolean);
    for (const word of words) {
      let rest = word;
      while (rest.length > width) {
        if (line) lines.push(line);
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
        line = '';
      }
      if (!rest) continue;
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
      else {
        lines.push(line);
        line = rest;
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}
