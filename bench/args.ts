/**
 * The benchmark's flags (`npm run bench -- ...`, `swaprace bench ...`), checked before anything is built or
 * measured: a typo must not cost a run of many minutes, or end one in a crash.
 */
import { parseArgs } from 'util';
import { parseArgsProblem } from '../src/cli/args';
import { EXIT } from '../src/cli/exitCodes';
import { FAMILIES } from './families';

export interface BenchArgs {
  /** The two smallest cases of each family only. */
  quick: boolean;
  /** The one family to measure; all of them when undefined. */
  family?: string;
  /** Timed runs per measurement, of which the fastest is kept. */
  reps: number;
}

const BENCH_OPTIONS = { quick: { type: 'boolean' }, family: { type: 'string' }, reps: { type: 'string' } } as const;
const FLAGS_HINT = '(flags: --quick, --family ID, --reps N; see swaprace bench --help)';
/** More timed runs than this would make a full run take hours: a typo rather than a wish. */
const MAX_REPS = 20;

/** The benchmark's arguments, or what is wrong with them. */
export function parseBenchArgs(args: readonly string[]): BenchArgs | string {
  let values: { quick?: boolean; family?: string; reps?: string };
  try {
    const parsed = parseArgs({ args: [...args], options: BENCH_OPTIONS, strict: true, tokens: true });
    const names = parsed.tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : []));
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated) return `benchmark flag --${repeated} is given more than once ${FLAGS_HINT}`;
    values = parsed.values;
  } catch (error) {
    const problem = parseArgsProblem(error);
    if (problem?.kind === 'unknown') return `unknown benchmark flag ${problem.argument} ${FLAGS_HINT}`;
    if (problem?.kind === 'unexpectedPositional') return `unexpected benchmark argument "${problem.argument}" ${FLAGS_HINT}`;
    if (problem?.kind === 'takesNoValue') return `benchmark flag ${problem.argument} takes no value ${FLAGS_HINT}`;
    if (problem?.kind === 'needsValue') return `benchmark flag ${problem.argument} needs a value ${FLAGS_HINT}`;
    throw error;
  }
  const { quick = false, family, reps = '2' } = values;
  if (family !== undefined && !FAMILIES.some((f) => f.id === family)) {
    return `unknown benchmark family "${family}" (known: ${FAMILIES.map((f) => f.id).join(', ')})`;
  }
  const repetitions = /^\d{1,2}$/.test(reps) ? Number(reps) : NaN;
  if (!(repetitions >= 1 && repetitions <= MAX_REPS)) return `--reps expects a whole number from 1 to ${MAX_REPS}, got "${reps}"`;
  return { quick, family, reps: repetitions };
}

/** The arguments, or, when they are wrong, one line on stderr and exit code 2. */
export function benchArgsOrExit(args: readonly string[]): BenchArgs {
  const parsed = parseBenchArgs(args);
  if (typeof parsed !== 'string') return parsed;
  process.stderr.write(`swaprace: ${parsed}\n`);
  process.exit(EXIT.badInput);
}
