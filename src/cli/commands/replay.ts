/** `swaprace replay`: rebuild an execution from a trace file or from a scenario and a schedule, and print its steps. */
import { parseSchedule, ReplayError, ScheduleSyntaxError, type Scenario, type Trace } from '../../core';
import { replaySchedule, serializeTrace } from '../../core/trace/file';
import { flag, parseCommandArgs, stringOption } from '../args';
import { CliError } from '../errors';
import { exitCodeFor } from '../exitCodes';
import { requireWritablePath, writeTextFile } from '../files';
import { outcomeLines } from '../report';
import { replayJson } from '../resultJson';
import { loadScenario, requireKnownKernel } from '../scenarioSource';
import { loadTraceFile } from '../traceSource';

export const REPLAY_HELP = `usage: swaprace replay <trace-file> [--json]
       swaprace replay --scenario <scenario-id|file> [--kernel V] --schedule S [--json] [--out FILE]

Replays a schedule through the model and prints each step. A trace file is checked first: its schedule must
reproduce the verdict it records. A schedule is thread indexes joined by dots, an allocator choice after a
slash, and for a livelock the repeating part after a tilde: 0.0.1.2/1.1~1.1.1
Exit code: the verdict of the replayed execution (0 no violation, 1 violation, 3 a recorded bounded verdict), 2 bad input.

  --scenario X      the scenario (built-in id or file) to replay the schedule on
  --kernel V        kernel version (default: the scenario's)
  --schedule S      the schedule to replay
  --json            print one JSON object: the verdict, the steps and every state
  --out FILE        with --schedule: write the replayed execution as a trace file`;

export function replayCommand(args: readonly string[]): number {
  const parsed = parseCommandArgs('replay', args, {
    scenario: { type: 'string' },
    kernel: { type: 'string' },
    schedule: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
  });
  const scenarioReference = stringOption(parsed, 'scenario');
  let trace: Trace;
  let file: string | undefined;
  if (scenarioReference === undefined) {
    if (parsed.positionals.length !== 1) throw new CliError('swaprace replay expects a trace file, or --scenario and --schedule (see swaprace replay --help)');
    for (const option of ['kernel', 'schedule', 'out']) {
      if (parsed.values[option] !== undefined) throw new CliError(`--${option} applies to a replay with --scenario, not to a trace file`);
    }
    [file] = parsed.positionals;
    trace = loadTraceFile(file);
  } else {
    if (parsed.positionals.length > 0) throw new CliError('swaprace replay takes either a trace file or --scenario, not both');
    const scheduleText = stringOption(parsed, 'schedule');
    if (scheduleText === undefined) throw new CliError('swaprace replay --scenario needs --schedule');
    const loaded = loadScenario(scenarioReference);
    file = loaded.file;
    const out = stringOption(parsed, 'out');
    if (out !== undefined) requireWritablePath(out, 'trace', loaded.file);
    trace = replayOnScenario(loaded.scenario, requireKnownKernel(stringOption(parsed, 'kernel') ?? loaded.scenario.kernel), scheduleText);
    if (out !== undefined) writeTextFile(out, serializeTrace(trace), 'trace');
  }

  if (flag(parsed, 'json')) console.log(JSON.stringify(replayJson(trace, file), null, 2));
  else console.log(outcomeLines(replayJson(trace, file), 'replay').join('\n'));
  return exitCodeFor(trace.verdict);
}

function replayOnScenario(scenario: Scenario, kernel: string, scheduleText: string): Trace {
  try {
    return replaySchedule(scenario, kernel, parseSchedule(scheduleText));
  } catch (error) {
    if (error instanceof ScheduleSyntaxError || error instanceof ReplayError) throw new CliError(`cannot replay the schedule on ${scenario.id} (${kernel}): ${error.message}`);
    throw error;
  }
}
