/** `swaprace check`: search one scenario on one kernel version and report the verdict. */
import { serializeTrace } from '../../core/trace/file';
import { exclusive, flag, parseCommandArgs, positionals, stringOption } from '../args';
import { CliError } from '../errors';
import { exitCodeFor } from '../exitCodes';
import { requireWritablePath, writeTextFile } from '../files';
import { ProgressLine } from '../progress';
import { outcomeLines, statsLine } from '../report';
import { runCheck } from '../runCheck';
import { toSarif } from '../sarif';
import { loadScenario, requireKnownKernel } from '../scenarioSource';
import { SEARCH_OPTIONS, SEARCH_OPTIONS_HELP, SHARD_OPTION_HELP, searchOptions } from '../searchOptions';
import { shellQuote } from '../text';

export const CHECK_HELP = `usage: swaprace check <scenario-id|file> [options]

Explores every interleaving of the scenario's threads on one kernel version, within bounds.
Exit code: 0 verified, 1 violation, 3 stopped at a bound, 2 bad input.

  --kernel V        kernel version (default: the scenario's; see swaprace list)
${SEARCH_OPTIONS_HELP}
${SHARD_OPTION_HELP}
  --json            print one JSON object (verdict, property, message, kernel, schedule, steps, stats, limits)
  --sarif           print SARIF 2.1.0 (one result per violation)
  --out FILE        write the counterexample as a trace file (*.swaptrace.json) for replay, export and the editor`;

export async function checkCommand(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs('check', args, {
    ...SEARCH_OPTIONS,
    kernel: { type: 'string' },
    json: { type: 'boolean' },
    sarif: { type: 'boolean' },
    out: { type: 'string' },
  });
  const [reference] = positionals('check', parsed, ['scenario-id|file']);
  exclusive(parsed, ['json', 'sarif']);
  const options = searchOptions(parsed);
  const loaded = loadScenario(reference);
  const kernel = requireKnownKernel(stringOption(parsed, 'kernel') ?? loaded.scenario.kernel);
  const machineOutput = flag(parsed, 'json') || flag(parsed, 'sarif');
  const out = stringOption(parsed, 'out');
  if (out !== undefined) requireWritablePath(out, 'trace', loaded.file);

  const { result, json } = await runCheck(loaded, { ...options, kernel }, ProgressLine.forTerminal(machineOutput));
  const exitCode = exitCodeFor(result.verdict);
  // A trace that cannot be written after all is reported after the result: the search may have taken minutes.
  let writeError: CliError | undefined;
  if (out !== undefined && result.trace) {
    try {
      writeTextFile(out, serializeTrace(result.trace), 'trace');
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      writeError = error;
    }
  } else if (out !== undefined) console.error(`swaprace: no trace written to ${out}: the search found no counterexample`);

  if (flag(parsed, 'json')) {
    console.log(JSON.stringify(json, null, 2));
  } else if (flag(parsed, 'sarif')) {
    console.log(JSON.stringify(toSarif(json, loaded, exitCode), null, 2));
  } else {
    const lines = [...outcomeLines(json, 'search'), statsLine(json)];
    if (result.trace) {
      lines.push(`replay: swaprace replay --scenario ${shellQuote(reference)} --kernel ${kernel} --schedule ${shellQuote(result.trace.schedule)}`);
      if (out !== undefined && !writeError) lines.push(`trace written to ${out}`);
    }
    console.log(lines.join('\n'));
  }
  if (writeError) throw writeError;
  return exitCode;
}
