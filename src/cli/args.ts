/**
 * Command-line parsing with `node:util` parseArgs, and the checks that turn absurd values into one clear error
 * instead of a search that never ends or a crash.
 */
import { parseArgs } from 'node:util';
import type { OptionRange } from '../core/search/optionRanges';
import { CliError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/**
 * Parses `args` against `options`; unknown flags, missing values and a value-taking option given twice become
 * a CliError that names the command. A boolean flag given twice means what it means once.
 */
export function parseCommandArgs(command: string, args: readonly string[], options: Record<string, OptionSpec>): ParsedArgs {
  const { values, positionals, tokens } = parseStrictly(command, args, options);
  // parseArgs keeps the last of repeated values: `--kernel v6.8 --kernel v6.7` would silently check v6.7.
  const given = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || options[token.name].type !== 'string') continue;
    if (given.has(token.name)) throw new CliError(`option --${token.name} is given more than once (see swaprace ${command} --help)`);
    given.add(token.name);
  }
  return { values: values as ParsedArgs['values'], positionals };
}

function parseStrictly(command: string, args: readonly string[], options: Record<string, OptionSpec>) {
  try {
    return parseArgs({ args: withNegativeValues(args, options), options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const problem = parseArgsProblem(error);
    if (!problem) throw error;
    const words =
      problem.kind === 'unknown'
        ? unknownOptionWords(problem.argument, args)
        : problem.kind === 'takesNoValue'
          ? `option ${problem.argument} takes no value`
          : problem.kind === 'needsValue'
            ? `option ${problem.argument} needs a value`
            : (error as Error).message;
    throw new CliError(`${words} (see swaprace ${command} --help)`);
  }
}

/**
 * No option has a one-letter form (`-h` is handled before parsing), so parseArgs refuses the first letter of
 * the first single-dash argument, as in `-anon`: name the whole argument, and the options' form.
 */
function unknownOptionWords(refused: string, args: readonly string[]): string {
  if (!/^-[^-]$/.test(refused)) return `unknown option ${refused}`;
  const beforeTerminator = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  const whole = beforeTerminator.find((arg) => /^-[^-]/.test(arg)) ?? refused;
  return `unknown option ${whole}: options start with two dashes, as in --json`;
}

/** What a strict parseArgs refused, and the argument it named. */
export interface ParseArgsProblem {
  kind: 'unknown' | 'unexpectedPositional' | 'takesNoValue' | 'needsValue' | 'other';
  argument: string;
}

/** The problem behind an error parseArgs threw; undefined for any other error. */
export function parseArgsProblem(error: unknown): ParseArgsProblem | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS') || typeof message !== 'string') return undefined;
  // parseArgs names the argument in quotes; the rest of its message is advice for another program's users.
  const argument = /'([^' ]*)/.exec(message)?.[1] ?? '';
  const kind: ParseArgsProblem['kind'] =
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? 'unknown'
      : code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? 'unexpectedPositional'
        : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? /does not take/.test(message) ? 'takesNoValue' : 'needsValue'
          : 'other';
  return { kind, argument };
}

/**
 * `--seed -1` as `--seed=-1`: parseArgs takes a value that starts with a dash only in the second form and
 * would report the value as missing, where the option's range check names the real problem.
 */
function withNegativeValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return [...joined, ...args.slice(i)];
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const takesValue = Object.hasOwn(options, name) && options[name].type === 'string';
    if (takesValue && /^-\.?\d/.test(args[i + 1] ?? '')) joined.push(`${arg}=${args[++i]}`);
    else joined.push(arg);
  }
  return joined;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** A whole number written in digits (no sign, exponent or hex), in `range`. */
export function integerOption(args: ParsedArgs, name: string, { min, max }: OptionRange): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new CliError(`--${name} expects a whole number from ${min} to ${max.toLocaleString('en-US')}, got "${text}"`);
  return value;
}

/** The positional arguments, exactly one per name; the names make the error say what is missing. */
export function positionals(command: string, args: ParsedArgs, names: readonly string[]): string[] {
  if (args.positionals.length !== names.length) {
    const expected = names.map((name) => `<${name}>`).join(' ') || 'no arguments';
    throw new CliError(`swaprace ${command} expects ${expected}, got ${args.positionals.length} argument(s) (see swaprace ${command} --help)`);
  }
  return args.positionals;
}

export function exclusive(args: ParsedArgs, names: readonly string[]): void {
  const given = names.filter((name) => args.values[name] !== undefined);
  if (given.length > 1) throw new CliError(`${given.map((name) => `--${name}`).join(' and ')} cannot be used together`);
}
