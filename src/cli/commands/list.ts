/** `swaprace list`: the built-in scenarios, with the race they reproduce and their expected verdicts, and the kernel versions. */
import { builtinScenarios, KERNEL_IDS, listKernels, type Scenario } from '../../core';
import { flag, parseCommandArgs, positionals } from '../args';
import { EXIT } from '../exitCodes';
import { table } from '../text';

export const LIST_HELP = `usage: swaprace list [--json]

Lists the built-in scenarios (the race of the reference each reproduces, the versions on which it must fail
or pass) and the kernel versions (title and the commits behind them).`;

export function listCommand(args: readonly string[]): number {
  const parsed = parseCommandArgs('list', args, { json: { type: 'boolean' } });
  positionals('list', parsed, []);
  const scenarios = builtinScenarios();
  const kernels = listKernels();
  if (flag(parsed, 'json')) {
    const scenarioInfo = scenarios.map(({ id, title, reference, kernel, expect }) => ({ id, title, reference: reference ?? null, kernel, expect }));
    console.log(JSON.stringify({ scenarios: scenarioInfo, kernels }, null, 2));
    return EXIT.verified;
  }
  console.log('Built-in scenarios (check one with: swaprace check <id>):');
  const scenarioRows = scenarios.flatMap((s) => [
    [`  ${s.id}`, s.reference ?? '-', s.title],
    ['', '', `kernel ${s.kernel}; ${expectations(s)}`],
  ]);
  console.log(table(scenarioRows).join('\n'));
  console.log('\nKernel versions:');
  const kernelRows = kernels.flatMap((k) => [[`  ${k.id}`, k.title], ...k.commits.map((commit) => ['', `  ${commit}`])]);
  console.log(table(kernelRows).join('\n'));
  return EXIT.verified;
}

/** "fails on v5.13, v6.7; passes on v6.8, ..." in the order of the kernel versions. */
function expectations(scenario: Scenario): string {
  const on = (expected: string) => KERNEL_IDS.filter((id) => scenario.expect[id] === expected);
  const parts = [];
  if (on('fail').length) parts.push(`fails on ${on('fail').join(', ')}`);
  if (on('pass').length) parts.push(`passes on ${on('pass').join(', ')}`);
  return parts.join('; ') || 'no expected verdicts';
}
