/**
 * Trace files (`*.swaptrace.json`, format `swaprace.trace`, version 1): a counterexample someone can share.
 *
 * A trace file is untrusted input. `parseTraceFile` never throws: it returns the trace or positioned errors in
 * the form of the scenario parser's (`file:line:column: field: message`). It trusts nothing but the scenario,
 * the kernel id and the schedule, after validating them, and REPLAYS the schedule: the trace it returns is the
 * replayed one, and the file is rejected unless the replay reproduces the recorded verdict and violation. The
 * `threads` and `steps` a file carries are for human readers and are ignored.
 */
import type { Node, ParseError } from 'jsonc-parser';
import { describeValue } from '../describeJsonValue';
import { offsetBeyondNesting } from '../jsonNesting';
import { KERNEL_IDS } from '../kernels/versions';
import { LineIndex, type TextPosition } from '../lineIndex';
import { syntaxErrorMessage, syntaxErrorPath } from '../jsonSyntax';
import { formatPath, formatScenarioError, parseScenario } from '../scenario/parse';
import { PROPERTY_IDS, type Scenario, type ScenarioError } from '../scenario/types';
import type { Program } from '../model/program';
import { Machine, stateKey } from '../model/state';
import { successor } from '../search/transition';
import { parsePrunedTree } from './prunedTree';
import { buildTrace, livelockViolation, programFor, ReplayError } from './replay';
import { parseSchedule, ScheduleSyntaxError, type Choice, type Schedule } from './schedule';
import type { Trace, TraceViolation, VerdictKind } from './types';

export const TRACE_FORMAT = 'swaprace.trace';
export const TRACE_VERSION = 1;
export const TRACE_FILE_SUFFIX = '.swaptrace.json';

export const TRACE_FILE_LIMITS = {
  /** Characters of the whole file; a file near the step limit, with its readable steps, is a few megabytes. */
  textLength: 20 * 1024 * 1024,
  /**
   * Choices in the schedule. Twice the largest depth bound a scenario may set (10000), and small enough that the
   * replay, which builds a state view per step, stays within a few seconds.
   */
  scheduleSteps: 20_000,
  /** A trace nests 6 levels deep; the limit keeps jsonc-parser's recursive descent far from the stack limit. */
  nesting: 64,
  /** Errors reported before the rest are summarised in one. */
  reportedErrors: 50,
} as const;

/** A positioned problem in a trace file: the same shape as a scenario file's, printed by `formatTraceError`. */
export type TraceFileError = ScenarioError;
export const formatTraceError: (error: TraceFileError) => string = formatScenarioError;

export type TraceFileResult = { ok: true; trace: Trace } | { ok: false; errors: TraceFileError[] };

const ROOT_FIELD = '(root)';
/** Fields a writer adds for readers of the file; replay rebuilds them, so only their type is checked. */
const DERIVED_KEYS: ReadonlySet<string> = new Set(['threads', 'steps', 'states']);
const ROOT_KEYS = ['format', 'version', 'kernel', 'verdict', 'schedule', 'violation', 'scenario', ...DERIVED_KEYS];
const REQUIRED_ROOT_KEYS = ['format', 'version', 'kernel', 'verdict', 'schedule', 'scenario'];
const VIOLATION_KEYS = ['step', 'property', 'message'];
const VERDICTS: readonly VerdictKind[] = ['violation', 'verified', 'bounded'];

/**
 * The text of a trace file: pretty JSON with the summary first. The states are left out: a reader replays the
 * schedule to rebuild them, and with them a long trace would be tens of megabytes.
 */
export function serializeTrace(trace: Trace): string {
  const file = {
    format: trace.format,
    version: trace.version,
    kernel: trace.kernel,
    verdict: trace.verdict,
    schedule: trace.schedule,
    ...(trace.violation ? { violation: trace.violation } : {}),
    scenario: trace.scenario,
    threads: trace.threads,
    steps: trace.steps,
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/**
 * Replays a schedule and judges that one execution: a violation when a property fails along it, or when it
 * ends in a livelock; otherwise `verified`, which here says only that this execution breaks nothing. Throws
 * `ReplayError` when the schedule does not fit the scenario, is longer than a trace file may be, or its
 * cycle (after `~`) is no livelock of a scenario that checks for them.
 */
export function replaySchedule(scenario: Scenario, kernel: string, schedule: Schedule): Trace {
  const steps = schedule.prefix.length + (schedule.cycle?.length ?? 0);
  if (steps > TRACE_FILE_LIMITS.scheduleSteps) throw new ReplayError(`it has ${steps} steps, more than the ${TRACE_FILE_LIMITS.scheduleSteps} a trace may have`);
  const trace = buildTrace(scenario, kernel, schedule, 'verified');
  if (trace.violation && schedule.cycle?.length) {
    throw new ReplayError(`a cycle ("~") stands for a livelock, but ${trace.violation.property} fails after step ${trace.violation.step + 1}, which ends the execution`);
  }
  if (trace.violation) return { ...trace, verdict: 'violation' };
  if (!schedule.cycle?.length) return trace;
  if (!scenario.properties.includes('fault-completes')) throw new ReplayError('a cycle ("~") stands for a livelock, but the scenario does not check fault-completes');
  const problem = livelockProblem(programFor(scenario, kernel), schedule.prefix, schedule.cycle);
  if (problem) throw new ReplayError(problem);
  return { ...trace, verdict: 'violation', violation: livelockViolation(schedule) };
}

/**
 * Why `cycle` after `prefix` is not a livelock, if it is not one. As the search defines it (weak fairness), a
 * livelock is a cycle back to the state it starts from in which every unfinished thread either moves or is
 * blocked at some point: a thread that could move all along but is never scheduled does not make one.
 * The schedule is known to replay (buildTrace ran it first).
 */
function livelockProblem(program: Program, prefix: readonly Choice[], cycle: readonly Choice[]): string | undefined {
  let state = program.initialState();
  for (const choice of prefix) state = successor(program, state, choice.thread, choice.branch).s;
  const start = state;
  const movedOrBlocked = new Set<number>();
  for (const choice of cycle) {
    const probe = new Machine(program.layout, state);
    program.threadNames.forEach((_, t) => program.branches(probe, t) === 0 && movedOrBlocked.add(t));
    movedOrBlocked.add(choice.thread);
    state = successor(program, state, choice.thread, choice.branch).s;
  }
  if (stateKey(state) !== stateKey(start)) {
    return `the cycle after "~" does not return to the state it starts from (after step ${prefix.length}), so it cannot repeat forever`;
  }
  const starved = program.threadNames.filter((_, t) => !program.isFinished(start, t) && !movedOrBlocked.has(t));
  if (starved.length === 0) return undefined;
  return `the cycle after "~" is not a livelock: ${starved.join(', ')} could move at every step of it but never does`;
}

/** Reads an untrusted trace file. `file` only labels errors; `knownKernels` are the versions it may name. */
export function parseTraceFile(text: string, file: string, knownKernels: readonly string[] = KERNEL_IDS): TraceFileResult {
  const report = new Reporter(file, text);
  try {
    const trace = readTraceFile(text, report, knownKernels);
    return trace && report.errors.length === 0 ? { ok: true, trace } : { ok: false, errors: report.result() };
  } catch (unexpected) {
    // A bug must surface as an error about the file, not crash the editor or the CLI.
    const detail = unexpected instanceof Error ? unexpected.message : String(unexpected);
    return { ok: false, errors: [{ file, line: 1, column: 1, field: ROOT_FIELD, message: `internal error while reading the trace: ${detail}` }] };
  }
}

function readTraceFile(text: string, report: Reporter, knownKernels: readonly string[]): Trace | undefined {
  if (text.length > TRACE_FILE_LIMITS.textLength) {
    report.at(0, ROOT_FIELD, `expected a trace file of at most ${TRACE_FILE_LIMITS.textLength} characters but got ${text.length}`);
    return undefined;
  }
  // A byte order mark is not JSON, but editors write one; a space keeps every offset in place.
  const json = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const tooDeep = offsetBeyondNesting(json, TRACE_FILE_LIMITS.nesting);
  if (tooDeep !== undefined) {
    report.at(tooDeep, ROOT_FIELD, `expected at most ${TRACE_FILE_LIMITS.nesting} levels of nested objects and arrays`);
    return undefined;
  }
  const syntaxErrors: ParseError[] = [];
  const root = parsePrunedTree(json, DERIVED_KEYS, syntaxErrors, { disallowComments: true, allowTrailingComma: false });
  if (syntaxErrors.length > 0) {
    // Recovery after the first error mostly echoes it.
    const first = syntaxErrors[0];
    report.at(first.offset, formatPath(syntaxErrorPath(json, first)), syntaxErrorMessage(json, first, 'the trace object'));
    return undefined;
  }
  if (!root || root.type !== 'object') {
    report.at(root?.offset ?? 0, ROOT_FIELD, `expected a trace object but got ${root ? describeValue(root) : 'nothing'}`);
    return undefined;
  }
  return new TraceReader(report, json, knownKernels).read(root);
}

/** Collects positioned errors; lines and columns are 1-based, columns in UTF-16 code units as editors count. */
class Reporter {
  readonly errors: TraceFileError[] = [];
  private lines: LineIndex | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  at(offset: number, field: string, message: string): void {
    this.errors.push({ file: this.file, ...this.position(offset), field, message });
  }

  /** Errors of the embedded scenario, parsed on its own, moved to where the scenario sits in this file. */
  scenarioErrors(errors: readonly ScenarioError[], scenarioOffset: number): void {
    const start = this.position(scenarioOffset);
    for (const error of errors) {
      const field = error.field === ROOT_FIELD ? 'scenario' : `scenario${error.field.startsWith('[') ? '' : '.'}${error.field}`;
      const line = start.line + error.line - 1;
      const column = error.line === 1 ? start.column + error.column - 1 : error.column;
      this.errors.push({ file: this.file, line, column, field, message: error.message });
    }
  }

  /** Errors in document order, at most `reportedErrors` of them and a last one that says how many more there are. */
  result(): TraceFileError[] {
    const sorted = [...this.errors].sort((a, b) => a.line - b.line || a.column - b.column);
    const limit = TRACE_FILE_LIMITS.reportedErrors;
    if (sorted.length <= limit) return sorted;
    return [...sorted.slice(0, limit), { ...sorted[limit], message: `${sorted.length - limit} more errors from here on are not shown` }];
  }

  private position(offset: number): TextPosition {
    // Built on the first error only: a valid file never pays for it.
    this.lines ??= new LineIndex(this.text);
    return this.lines.position(offset);
  }
}

/** The offset of the key whose value is `value`: unknown keys are reported there. */
function keyOffset(value: Node): number {
  return value.parent?.type === 'property' ? value.parent.offset : value.offset;
}

/** What the reader found in the fields it trusts, before the replay. */
interface RecordedTrace {
  scenario: Scenario;
  kernel: string;
  verdict: VerdictKind;
  schedule: Schedule;
  violation?: TraceViolation;
}

class TraceReader {
  constructor(
    private readonly report: Reporter,
    private readonly text: string,
    private readonly knownKernels: readonly string[],
  ) {}

  read(root: Node): Trace | undefined {
    const fields = this.fields(root, '', ROOT_KEYS, REQUIRED_ROOT_KEYS);
    const format = fields.get('format');
    if (format && !(format.type === 'string' && format.value === TRACE_FORMAT)) {
      this.report.at(format.offset, 'format', `expected "${TRACE_FORMAT}" (is this a swaprace trace?) but got ${describeValue(format)}`);
      return undefined;
    }
    const version = fields.get('version');
    if (version && version.value !== TRACE_VERSION) {
      this.report.at(version.offset, 'version', `expected version ${TRACE_VERSION}, the only one this swaprace reads, but got ${describeValue(version)}`);
      return undefined;
    }
    for (const derived of DERIVED_KEYS) {
      const node = fields.get(derived);
      if (node && node.type !== 'array') this.report.at(node.offset, derived, `expected an array (it is ignored: replay rebuilds it) but got ${describeValue(node)}`);
    }
    const recorded = this.recorded(fields);
    return recorded && this.report.errors.length === 0 ? this.replay(recorded, fields) : undefined;
  }

  private recorded(fields: ReadonlyMap<string, Node>): RecordedTrace | undefined {
    const scenarioNode = fields.get('scenario');
    const scenario = scenarioNode && this.scenario(scenarioNode);
    const kernelNode = fields.get('kernel');
    const kernel = kernelNode && this.oneOf(kernelNode, 'kernel', this.knownKernels, 'the known kernels ');
    const verdictNode = fields.get('verdict');
    const verdict = verdictNode && this.oneOf(verdictNode, 'verdict', VERDICTS);
    const scheduleNode = fields.get('schedule');
    const schedule = scheduleNode && this.schedule(scheduleNode);
    const violationNode = fields.get('violation');
    const violation = violationNode && this.violation(violationNode);
    if (verdict === 'violation' && !violationNode) this.report.at(verdictNode!.offset, 'violation', 'expected a "violation" object in a trace whose verdict is "violation"');
    if (verdict && verdict !== 'violation' && violationNode) this.report.at(keyOffset(violationNode), 'violation', `expected no "violation" in a trace whose verdict is "${verdict}"`);
    if (verdict && verdict !== 'violation' && schedule?.cycle?.length) this.report.at(scheduleNode!.offset, 'schedule', 'expected no cycle ("~"): only a livelock, a violation, has one');
    if (!scenario || !kernel || !verdict || !schedule || (verdict === 'violation' && !violation)) return undefined;
    return { scenario, kernel, verdict, schedule, ...(violation ? { violation } : {}) };
  }

  /** The embedded scenario, read by the scenario parser itself from its own text, so that every rule applies. */
  private scenario(node: Node): Scenario | undefined {
    if (node.type !== 'object') {
      this.report.at(node.offset, 'scenario', `expected a scenario object but got ${describeValue(node)}`);
      return undefined;
    }
    const parsed = parseScenario(this.text.slice(node.offset, node.offset + node.length), 'scenario', this.knownKernels);
    if (parsed.ok) return parsed.scenario;
    this.report.scenarioErrors(parsed.errors, node.offset);
    return undefined;
  }

  private schedule(node: Node): Schedule | undefined {
    if (node.type !== 'string') {
      this.report.at(node.offset, 'schedule', `expected a schedule string such as "0.0.1.2/1" but got ${describeValue(node)}`);
      return undefined;
    }
    let schedule: Schedule;
    try {
      schedule = parseSchedule(String(node.value));
    } catch (error) {
      if (!(error instanceof ScheduleSyntaxError)) throw error;
      this.report.at(node.offset, 'schedule', `expected a schedule such as "0.0.1.2/1": ${error.message.replace(/^schedule: /, '')}`);
      return undefined;
    }
    const length = schedule.prefix.length + (schedule.cycle?.length ?? 0);
    if (length <= TRACE_FILE_LIMITS.scheduleSteps) return schedule;
    this.report.at(node.offset, 'schedule', `expected at most ${TRACE_FILE_LIMITS.scheduleSteps} steps but got ${length}`);
    return undefined;
  }

  private violation(node: Node): TraceViolation | undefined {
    const fields = this.fields(node, 'violation', VIOLATION_KEYS, VIOLATION_KEYS);
    if (node.type !== 'object') return undefined;
    const stepNode = fields.get('step');
    const step = stepNode && this.integer(stepNode, 'violation.step', -1, TRACE_FILE_LIMITS.scheduleSteps);
    const propertyNode = fields.get('property');
    const property = propertyNode && this.oneOf(propertyNode, 'violation.property', PROPERTY_IDS);
    const messageNode = fields.get('message');
    if (messageNode && messageNode.type !== 'string') this.report.at(messageNode.offset, 'violation.message', `expected a string but got ${describeValue(messageNode)}`);
    if (step === undefined || property === undefined || messageNode?.type !== 'string') return undefined;
    return { step, property, message: String(messageNode.value) };
  }

  /** The replayed trace, if it reproduces what the file records. */
  private replay(recorded: RecordedTrace, fields: ReadonlyMap<string, Node>): Trace | undefined {
    let replayed: Trace;
    try {
      replayed = replaySchedule(recorded.scenario, recorded.kernel, recorded.schedule);
    } catch (error) {
      if (!(error instanceof ReplayError)) throw error;
      this.report.at(fields.get('schedule')!.offset, 'schedule', `the schedule does not replay on this scenario and kernel: ${error.message}`);
      return undefined;
    }
    const expected = recorded.violation;
    const found = replayed.violation;
    if (expected && !(found && found.property === expected.property && found.step === expected.step)) {
      const what = found ? `${found.property} fails after step ${found.step + 1}` : 'no property fails';
      this.report.at(fields.get('violation')!.offset, 'violation', `the schedule does not reproduce the recorded violation (${expected.property} after step ${expected.step + 1}): replaying it, ${what}`);
      return undefined;
    }
    if (!expected && found) {
      this.report.at(fields.get('verdict')!.offset, 'verdict', `the trace says "${recorded.verdict}" but replaying its schedule, ${found.property} fails after step ${found.step + 1}`);
      return undefined;
    }
    return { ...replayed, verdict: recorded.verdict };
  }

  // Typed readers: each reports a mismatch at the value and returns undefined.

  /** The properties of an object by key, after reporting repeated, unknown and missing keys. */
  private fields(node: Node, path: string, allowed: readonly string[], required: readonly string[]): Map<string, Node> {
    const fields = new Map<string, Node>();
    if (node.type !== 'object') {
      this.report.at(node.offset, path || ROOT_FIELD, `expected an object but got ${describeValue(node)}`);
      return fields;
    }
    const at = (key: string) => (path ? `${path}.${key}` : key);
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || !value) continue;
      const name = String(key.value);
      const field = /^[A-Za-z_$][\w$]*$/.test(name) ? at(name) : `${path}[${JSON.stringify(name.slice(0, 40))}]`;
      if (!allowed.includes(name)) this.report.at(key.offset, field, `unknown field; expected one of ${allowed.map((k) => `"${k}"`).join(', ')}`);
      else if (fields.has(name)) this.report.at(key.offset, field, 'expected each key once, but this one is repeated');
      else fields.set(name, value);
    }
    for (const key of required) {
      if (!fields.has(key)) this.report.at(node.offset, at(key), 'required field is missing');
    }
    return fields;
  }

  private integer(node: Node, field: string, min: number, max: number): number | undefined {
    if (node.type === 'number' && Number.isInteger(node.value) && node.value >= min && node.value <= max) return node.value as number;
    this.report.at(node.offset, field, `expected an integer from ${min} to ${max} but got ${describeValue(node)}`);
    return undefined;
  }

  private oneOf<T extends string>(node: Node, field: string, values: readonly T[], what = ''): T | undefined {
    if (node.type === 'string' && (values as readonly string[]).includes(node.value)) return node.value as T;
    this.report.at(node.offset, field, `expected one of ${what}${values.map((v) => `"${v}"`).join(', ')} but got ${describeValue(node)}`);
    return undefined;
  }
}
