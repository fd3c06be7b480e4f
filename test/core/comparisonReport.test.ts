import assert from 'node:assert/strict';
import { checkScenario, getBuiltinScenario } from '../../src/core';
import type { KernelComparison } from '../../src/core/search/comparison';
import { comparisonReport } from '../../src/core/search/comparisonReport';

describe('comparison report (Compare Kernel Versions in the editor)', () => {
  const scenario = getBuiltinScenario('anon-direct-aba')!;
  const compared = (kernel: string): KernelComparison => ({ kernel, expected: scenario.expect[kernel], result: checkScenario(scenario, { kernel }) });
  const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());

  it('is the table swaprace compare prints, with the row of each version where rowLines say, and each counterexample\'s schedule', () => {
    const comparisons = [compared('v6.7'), compared('v6.8'), { kernel: 'v7.0', expected: scenario.expect['v7.0'] }];
    const { text, rowLines } = comparisonReport(scenario, comparisons, ['v6.12']);
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['# anon-direct-aba across kernel versions', '', 'S1: direct swap-in ABA on an anonymous page', '']);
    assert.deepEqual(cells(lines[4]), ['kernel', 'verdict', 'expect', 'property', 'steps', 'states', 'time', 'bounds']);
    assert.deepEqual(rowLines.map((line) => cells(lines[line])[0]), ['v6.7', 'v6.8', 'v7.0']);
    const [violation, verified, stopped] = rowLines.map((line) => cells(lines[line]));
    assert.deepEqual(violation.slice(1, 5), ['violation', 'fail', 'no-stale-install', String(comparisons[0].result!.trace!.steps.length)]);
    assert.deepEqual([verified[1], verified[7]], ['verified', 'up to depth 400']);
    assert.deepEqual(stopped.slice(1, 3), ['stopped', 'pass']);
    assert.ok(lines.every((line) => !line.startsWith('|') || line.length === lines[4].length), 'the columns are padded to one width');
    assert.ok(text.includes('\n2 of 3 verdicts as expected; 1 stopped at a bound\n\nnot run (stopped): v6.12\n'), text);
    assert.ok(text.endsWith(`\n## v6.7: no-stale-install\n\n${comparisons[0].result!.message}\n\nSchedule: \`${comparisons[0].result!.schedule}\`\n`), text);
  });

  it('marks a verdict that differs from expect in a column that is left out when no verdict does', () => {
    const differing = { ...compared('v6.7'), expected: 'pass' as const };
    const { text, rowLines } = comparisonReport(scenario, [differing], []);
    assert.equal(cells(text.split('\n')[rowLines[0]]).at(-1), '<- differs from expect');
    assert.ok(text.includes('\n1 of 1 verdicts DIFFER from the scenario\'s expectations\n'));
  });

  it('shows a scenario\'s own words as text, never as markup', () => {
    const hostile = { id: 'hostile', title: '<img src=x onerror=alert(1)> *bold* [link](command:swaprace.stop) | \u001b[31m' };
    const { text } = comparisonReport(hostile, [], []);
    assert.equal(text.split('\n')[2], '\\<img src=x onerror=alert(1)\\> \\*bold\\* \\[link\\](command:swaprace.stop) \\| \\u001b\\[31m');
  });
});
