/**
 * The `swaprace` command line: dispatches to a command, and turns every error into one message on stderr and
 * exit code 2 (bad input or usage); verdicts have their own codes (see exitCodes.ts).
 */
import { BENCH_HELP, benchCommand } from './commands/bench';
import { CHECK_HELP, checkCommand } from './commands/check';
import { COMPARE_HELP, compareCommand } from './commands/compare';
import { EXPORT_HELP, exportCommand } from './commands/export';
import { LIST_HELP, listCommand } from './commands/list';
import { MERGE_HELP, mergeCommand } from './commands/merge';
import { REPLAY_HELP, replayCommand } from './commands/replay';
import { CliError } from './errors';
import { EXIT } from './exitCodes';
import { printable } from './text';
// A named import, so that the bundle inlines the version alone and not the whole manifest.
import { version } from '../../package.json';

interface Command {
  summary: string;
  help: string;
  run: (args: readonly string[]) => number | Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  list: { summary: 'built-in scenarios and kernel versions', help: LIST_HELP, run: listCommand },
  check: { summary: 'search a scenario for a race on one kernel version', help: CHECK_HELP, run: checkCommand },
  compare: { summary: 'check a scenario on several kernel versions', help: COMPARE_HELP, run: compareCommand },
  replay: { summary: 'replay a trace file or a schedule and print its steps', help: REPLAY_HELP, run: replayCommand },
  export: { summary: 'convert a trace file to Markdown, Mermaid or Perfetto', help: EXPORT_HELP, run: exportCommand },
  merge: { summary: 'combine the --json results of sharded runs', help: MERGE_HELP, run: mergeCommand },
  bench: { summary: 'run the benchmark runner of a checkout', help: BENCH_HELP, run: benchCommand },
};

const USAGE = `usage: swaprace <command> [arguments]

Model-checks races in the Linux kernel's swap-in paths.

${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`)
  .join('\n')}

swaprace <command> --help describes a command; swaprace --version prints the version.
Exit codes: 0 verified, 1 violation, 3 stopped at a bound, 2 bad input or usage.`;

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

async function main(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) {
    console.error(USAGE);
    return EXIT.badInput;
  }
  if (name === '--version') {
    if (rest.length > 0) throw new CliError('swaprace --version takes no arguments');
    console.log(version);
    return EXIT.verified;
  }
  // --help anywhere among a command's options (not after `--`, where arguments are only arguments).
  const optionArgs = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (name === 'help' || isHelp(name) || optionArgs.some(isHelp)) {
    console.log(helpText(name === 'help' || isHelp(name) ? rest.find((arg) => !isHelp(arg)) : name));
    return EXIT.verified;
  }
  if (!Object.hasOwn(COMMANDS, name)) throw new CliError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see swaprace --help)`);
  return COMMANDS[name].run(rest);
}

/** A command's help; the general usage for no command or for `help` itself. */
function helpText(topic: string | undefined): string {
  if (topic === undefined || topic === 'help') return USAGE;
  if (!Object.hasOwn(COMMANDS, topic)) throw new CliError(`unknown command "${topic}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
  return COMMANDS[topic].help;
}

function reportError(error: unknown): number {
  if (error instanceof CliError) {
    console.error(printable(`swaprace: ${error.message}`));
    for (const line of error.details) console.error(printable(line));
  } else {
    // A bug in swaprace: still one line, no stack trace unless asked for.
    const detail = error instanceof Error ? (process.env.SWAPRACE_DEBUG ? error.stack ?? error.message : error.message) : String(error);
    console.error(`swaprace: internal error: ${detail}`);
  }
  return EXIT.badInput;
}

// A reader that stops early (`swaprace list | head -1`) closes the pipe; that is not an error worth a trace. The
// command still finishes and sets the exit code (the verdict): its remaining output goes nowhere.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') return;
  console.error(`swaprace: cannot write the output: ${error.message}`);
  process.exit(EXIT.badInput);
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => (process.exitCode = reportError(error)),
);
