/**
 * The files swaprace reads (scenarios, trace files, `check --json` results), told apart by their top-level
 * fields: a file of one kind given where another is expected gets one error naming the command that takes it.
 */
import { parse, type ParseError } from 'jsonc-parser';
import { offsetBeyondNesting } from '../core/jsonNesting';
import { TRACE_FORMAT } from '../core/trace/file';
import { CliError } from './errors';
import { shellQuote } from './text';

/** `a problem`, `3 problems`: the heading of a file's positioned errors. */
export function problemCount(errors: number): string {
  return errors === 1 ? 'a problem' : `${errors} problems`;
}

/** The files swaprace reads, what to call each, and the command that takes it. */
const FILE_KINDS = {
  scenario: { name: 'a scenario', takenBy: 'swaprace check' },
  trace: { name: 'a trace file', takenBy: 'swaprace replay' },
  result: { name: 'a result of swaprace check --json', takenBy: 'swaprace merge' },
} as const;

export type FileKind = keyof typeof FILE_KINDS;

/**
 * For a file that failed to parse as the `expected` kind: when it is a file of another kind, one error that says
 * so and which command takes it (its positioned errors against the wrong format would be a page of noise).
 */
export function wrongKindOfFile(path: string, text: string, expected: FileKind): CliError | undefined {
  const kind = fileKind(text);
  if (kind === undefined || kind === expected) return undefined;
  return new CliError(`${path} is ${FILE_KINDS[kind].name}, not ${FILE_KINDS[expected].name}: use ${FILE_KINDS[kind].takenBy} ${shellQuote(path)}`);
}

/** Deeper than any of the files swaprace reads, and far from the stack limit of jsonc-parser's recursive descent. */
const KIND_NESTING = 64;

/** The kind of a JSON file, told by the top-level fields that only its format has; undefined when none fits. */
function fileKind(text: string): FileKind | undefined {
  if (offsetBeyondNesting(text, KIND_NESTING) !== undefined) return undefined;
  const errors: ParseError[] = [];
  // Leniently, as scenario files are read: with comments and trailing commas.
  const root: unknown = parse(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof root !== 'object' || root === null || Array.isArray(root)) return undefined;
  const fields = root as Record<string, unknown>;
  if (fields.format === TRACE_FORMAT) return 'trace';
  if (Object.hasOwn(fields, 'pages')) return 'scenario';
  if (typeof fields.scenario === 'string' && Object.hasOwn(fields, 'verdict') && Object.hasOwn(fields, 'stats')) return 'result';
  return undefined;
}
