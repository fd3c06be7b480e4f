/** `swaprace merge`: one verdict from the `--json` results of sharded or repeated runs. */
import { parse, type ParseError } from 'jsonc-parser';
import { offsetBeyondNesting } from '../../core/jsonNesting';
import { LineIndex } from '../../core/lineIndex';
import { syntaxErrorMessage } from '../../core/jsonSyntax';
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
and the seed. Shards must not repeat, and a verified verdict needs all of them; repeated runs (not
shards) must differ in their seed. Exit code: as check.

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

/** Far deeper than a result nests, and far from the stack limit of jsonc-parser's recursive descent. */
const RESULT_NESTING = 64;

function readResult(path: string): ResultFile {
  const text = readTextFile(path, 'result');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw wrongKindOfFile(path, text, 'result') ?? notJson(path, text);
  }
  const result = readResultJson(value);
  if (typeof result === 'string') throw wrongKindOfFile(path, text, 'result') ?? new CliError(`${path}: ${result}`);
  return { path, result };
}

/** Where a result file stops being JSON, as file:line:column (V8's messages here carry no position). */
function notJson(path: string, text: string): CliError {
  const tooDeep = offsetBeyondNesting(text, RESULT_NESTING);
  const errors: ParseError[] = [];
  if (tooDeep === undefined) parse(text, errors, { disallowComments: true });
  const at = new LineIndex(text).position(tooDeep ?? errors[0]?.offset ?? 0);
  const why = tooDeep !== undefined ? `nested more than ${RESULT_NESTING} levels deep` : errors.length > 0 ? syntaxErrorMessage(text, errors[0], 'the result object') : 'not JSON';
  return new CliError(`${path}:${at.line}:${at.column}: expected the JSON that swaprace check --json prints, but it is not JSON (${why})`);
}
