/** `swaprace compare`: one scenario on several kernel versions, side by side with the scenario's expectations. */
import { KERNEL_IDS, type Expectation } from '../../core';
import { COMPARISON_HEADER, comparisonRow, comparisonSummary, notRunLine, type KernelComparison } from '../../core/search/comparison';
import { matchesExpectation } from '../../core/search/expectation';
import { flag, parseCommandArgs, positionals, stringOption } from '../args';
import { CliError } from '../errors';
import { EXIT, exitCodeFor } from '../exitCodes';
import { wasInterrupted } from '../interrupt';
import { ProgressLine } from '../progress';
import type { ResultJson } from '../resultJson';
import { runCheck } from '../runCheck';
import { loadScenario, requireKnownKernel } from '../scenarioSource';
import { SEARCH_OPTIONS, SEARCH_OPTIONS_HELP, searchOptions } from '../searchOptions';
import { printable, table } from '../text';

export const COMPARE_HELP = `usage: swaprace compare <scenario-id|file> [--kernels a,b,c] [options]

Checks the scenario on each kernel version and prints a table of verdicts, marking each one that differs
from the scenario's "expect". A verdict that differs from its expectation counts as a violation; one without
an expectation counts as itself. Exit code: the most severe of them, 1 a violation, 3 a search stopped at
a bound, 0 all verified or as expected; 2 bad input.

  --kernels a,b,c   the versions to compare (default: all, oldest first)
${SEARCH_OPTIONS_HELP}
  --json            print a JSON array: one check result per version, with "expect" and "asExpected"`;

interface Comparison extends ResultJson {
  expect: Expectation | null;
  /** Null when there is no expectation, or when a bounded search cannot tell. */
  asExpected: boolean | null;
}

export async function compareCommand(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs('compare', args, { ...SEARCH_OPTIONS, kernels: { type: 'string' }, json: { type: 'boolean' } });
  const [reference] = positionals('compare', parsed, ['scenario-id|file']);
  if (parsed.values.shard !== undefined) throw new CliError('--shard applies to check only: compare\'s results cannot be merged (run check --shard on each version instead)');
  const options = searchOptions(parsed);
  const kernels = kernelList(stringOption(parsed, 'kernels'));
  const loaded = loadScenario(reference);
  const json = flag(parsed, 'json');
  const progress = ProgressLine.forTerminal(json);

  const compared: KernelComparison[] = [];
  const comparisons: Comparison[] = [];
  for (const kernel of kernels) {
    if (wasInterrupted()) break;
    const run = await runCheck(loaded, { ...options, kernel }, progress);
    const expected = loaded.scenario.expect[kernel];
    compared.push({ kernel, expected, result: run.result });
    comparisons.push({ ...run.json, expect: expected ?? null, asExpected: matchesExpectation(run.result, expected) ?? null });
  }

  // After a Ctrl-C the versions not yet checked are named, and the comparison counts as stopped at a bound.
  const notRun = kernels.slice(comparisons.length);
  if (json) console.log(JSON.stringify(comparisons, null, 2));
  else console.log([...comparisonTable(`${loaded.scenario.id}: ${loaded.scenario.title}`, compared), ...(notRun.length ? [notRunLine(notRun, 'Ctrl-C')] : [])].join('\n'));
  const codes = [...comparisons.map(exitCodeOf), ...(notRun.length ? [EXIT.bounded] : [])];
  return [EXIT.violation, EXIT.bounded].find((code) => codes.includes(code)) ?? EXIT.verified;
}

/** A verdict against its expectation, or by itself where there is none (or a bounded search cannot tell). */
function exitCodeOf(comparison: Comparison): number {
  if (comparison.asExpected === null) return exitCodeFor(comparison.verdict);
  return comparison.asExpected ? EXIT.verified : EXIT.violation;
}

/** The versions named by `--kernels`, each known and named once; all of them when the flag is absent. */
function kernelList(text: string | undefined): string[] {
  if (text === undefined) return [...KERNEL_IDS];
  const kernels = text.split(',').map((kernel) => kernel.trim());
  if (kernels.some((kernel) => kernel === '')) throw new CliError(`--kernels expects versions separated by commas, e.g. v6.7,v6.8, got "${text}"`);
  const repeated = kernels.find((kernel, i) => kernels.indexOf(kernel) !== i);
  if (repeated) throw new CliError(`--kernels names ${repeated} twice`);
  return kernels.map(requireKnownKernel);
}

function comparisonTable(title: string, compared: readonly KernelComparison[]): string[] {
  return [printable(title), ...table([COMPARISON_HEADER, ...compared.map(comparisonRow)]), comparisonSummary(compared)];
}
