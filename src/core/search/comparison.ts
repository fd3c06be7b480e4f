/**
 * One scenario checked on several kernel versions: a row of cells per version, its verdict against the
 * scenario's `expect`, and a summary line. `swaprace compare` prints them as a text table and the editor as a
 * Markdown one, so both say the same.
 */
import { count, seconds } from '../numberText';
import type { Expectation } from '../scenario/types';
import type { CheckResult } from './check';
import { matchesExpectation } from './expectation';
import type { Bound } from './verdict';

export interface KernelComparison {
  kernel: string;
  expected?: Expectation;
  /** Undefined when the run was stopped before it answered. */
  result?: CheckResult;
}

export const COMPARISON_HEADER: readonly string[] = ['kernel', 'verdict', 'expect', 'property', 'steps', 'states', 'time', 'bounds', ''];

/** The cells of a version, under COMPARISON_HEADER; the last one marks a verdict that differs from `expect`. */
export function comparisonRow({ kernel, expected, result }: KernelComparison): string[] {
  return [
    kernel,
    result?.verdict ?? 'stopped',
    expected ?? '-',
    result?.property ?? '-',
    result?.trace ? String(result.trace.steps.length) : '-',
    result ? count(result.stats.states) : '-',
    result ? seconds(result.stats.ms) : '-',
    boundsCell(result),
    noteCell(result, expected),
  ];
}

/** How the versions' verdicts stand against the scenario's expectations, in one line. */
export function comparisonSummary(comparisons: readonly KernelComparison[]): string {
  const judged = comparisons.map((c) => matchesExpectation(c.result, c.expected));
  const differing = judged.filter((matches) => matches === false).length;
  const matching = judged.filter((matches) => matches === true).length;
  const undecided = comparisons.filter((c) => !decides(c.result)).length;
  const unexpected = comparisons.filter((c) => c.expected === undefined && decides(c.result));
  // Without an expectation a violation stands for itself (the CLI then exits with 1).
  const unexpectedViolations = unexpected.filter((c) => c.result?.verdict === 'violation').length;
  return [
    differing > 0 ? `${differing} of ${comparisons.length} verdicts DIFFER from the scenario's expectations` : `${matching} of ${comparisons.length} verdicts as expected`,
    undecided > 0 ? `${undecided} stopped at a bound` : '',
    unexpected.length > 0 ? `${unexpected.length} without an expectation` + (unexpectedViolations > 0 ? `, ${unexpectedViolations} of them a VIOLATION` : '') : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The versions a stopped comparison did not get to, and why. */
export function notRunLine(kernels: readonly string[], why: string): string {
  return `not run (${why}): ${kernels.join(', ')}`;
}

/** A verdict that says something: a bounded search, or none at all, cannot tell. */
function decides(result: CheckResult | undefined): result is CheckResult {
  return result !== undefined && result.verdict !== 'bounded';
}

/** Marks a verdict that differs from `expect`, or a bounded search, which cannot tell (a stopped run says so in its verdict). */
function noteCell(result: CheckResult | undefined, expected: Expectation | undefined): string {
  if (matchesExpectation(result, expected) === false) return '<- differs from expect';
  return result?.verdict === 'bounded' ? '(bounded: cannot tell)' : '';
}

/** What a verdict holds within: "verified" covers every interleaving up to the depth bound; a bounded search names its bound. */
function boundsCell(result: CheckResult | undefined): string {
  if (result?.verdict === 'verified') return `up to depth ${result.limits.maxDepth}`;
  if (result?.verdict === 'bounded') return result.bound ? BOUND_NAMES[result.bound] : 'a search bound';
  return '-';
}

const BOUND_NAMES: Record<Bound, string> = {
  states: 'states limit',
  depth: 'depth limit',
  time: 'time limit',
  memory: 'memory limit',
  cancelled: 'stopped by the user',
  samples: 'sample budget',
  preemptions: 'preemption bound',
};
