/**
 * A comparison of kernel versions as a Markdown report to keep, paste into a mail or a review: the table of
 * verdicts `swaprace compare` prints, its summary, and each counterexample's schedule, which `swaprace replay`
 * and the editor's Replay Schedule reproduce.
 */
import { markdownCode, markdownTable, markdownText } from '../markdownText';
import type { Scenario } from '../scenario/types';
import { COMPARISON_HEADER, comparisonRow, comparisonSummary, notRunLine, type KernelComparison } from './comparison';

export interface ComparisonReport {
  /** The Markdown, ending in a newline. */
  text: string;
  /** The 0-based line of each version's row in the table, in the order of the comparisons. */
  rowLines: number[];
}

/** The report of `comparisons` of `scenario`; `notRun` names the versions a stop left out. */
export function comparisonReport(scenario: Pick<Scenario, 'id' | 'title'>, comparisons: readonly KernelComparison[], notRun: readonly string[]): ComparisonReport {
  const lines = [`# ${markdownText(scenario.id)} across kernel versions`, ''];
  if (scenario.title && scenario.title !== scenario.id) lines.push(markdownText(scenario.title), '');
  const tableStart = lines.length + 2;
  // The cells are our own words, known kernel versions and property ids: nothing in them is markup.
  lines.push(...markdownTable(COMPARISON_HEADER, comparisons.map(comparisonRow)), '', comparisonSummary(comparisons));
  if (notRun.length > 0) lines.push('', notRunLine(notRun, 'stopped'));
  for (const { kernel, result } of comparisons) {
    if (result?.verdict !== 'violation') continue;
    lines.push('', `## ${markdownText(kernel)}: ${markdownText(result.property ?? 'a property fails')}`, '');
    if (result.message) lines.push(markdownText(result.message), '');
    lines.push(`Schedule: ${result.schedule ? markdownCode(result.schedule) : '(empty: the initial state)'}`);
  }
  return { text: lines.join('\n') + '\n', rowLines: comparisons.map((_, i) => tableStart + i) };
}
