/** `swaprace merge`: one verdict from the `--json` results of sharded or repeated runs. */
import { flag, parseCommandArgs } from '../args';
import { CliError } from '../errors';
import { exitCodeFor } from '../exitCodes';
import { wrongKindOfFile } from '../fileKinds';
import { readTextFile } from '../files';
import { mergeResults, type ResultFile } from '../mergeResults';
import { outcomeLines, statsLine } from '../report';
import { readResultJson } from '../resultJson';

export const MERGE_HELP = `usage: swaprace merge <result.json>... [--json]

Combines the --json results of one scenario on one version, e.g. of
  swaprace check S --shard 1/2 --json > a.json;  swaprace check S --shard 2/2 --json > b.json
into one verdict: any violation wins (the shortest), else any bounded, else verified; stats are summed.
The results must agree on the scenario (and its file), kernel, strategy and limits; shards also on n
and the seed. Shards must not repeat, and a verified verdict needs all of them. Exit code: as check.

  --json            print the merged result as one JSON object, as check --json does`;

export function mergeCommand(args: readonly string[]): number {
  const parsed = parseCommandArgs('merge', args, { json: { type: 'boolean' } });
  if (parsed.positionals.length === 0) throw new CliError('swaprace merge expects one or more result files (see swaprace merge --help)');
  const files = parsed.positionals.map(readResult);
  const merged = mergeResults(files);
  if (flag(parsed, 'json')) console.log(JSON.stringify(merged, null, 2));
  else console.log([...outcomeLines(merged, 'search'), statsLine(merged), `merged ${files.length} result${files.length === 1 ? '' : 's'}`].join('\n'));
  return exitCodeFor(merged.verdict);
}

function readResult(path: string): ResultFile {
  const text = readTextFile(path, 'result');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw wrongKindOfFile(path, text, 'result') ?? new CliError(`${path}: expected the JSON that swaprace check --json prints, but it is not JSON: ${(error as Error).message}`);
  }
  const result = readResultJson(value);
  if (typeof result === 'string') throw wrongKindOfFile(path, text, 'result') ?? new CliError(`${path}: ${result}`);
  return { path, result };
}
