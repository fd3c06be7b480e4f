import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { checkScenario, getBuiltinScenario, parseSchedule, ReplayError, type Trace } from '../../src/core';
import { parseScenario } from '../../src/core/scenario/parse';
import {
  formatTraceError,
  parseTraceFile,
  replaySchedule,
  serializeTrace,
  TRACE_FILE_LIMITS,
  type TraceFileResult,
} from '../../src/core/trace/file';
import { KNOWN_KERNELS, pathsIn } from './helpers/scenario-arbitrary';

const FILE = 'shared.swaptrace.json';

function violationTrace(scenarioId: string, kernel: string): Trace {
  const result = checkScenario(getBuiltinScenario(scenarioId)!, { kernel });
  assert.equal(result.verdict, 'violation', `${scenarioId} on ${kernel}`);
  return result.trace!;
}

/** The S1 counterexample on v6.7 and its file text: the base that the error tests break in one place each. */
const S1 = violationTrace('anon-direct-aba', 'v6.7');
const S1_TEXT = serializeTrace(S1);

function parse(text: string): TraceFileResult {
  return parseTraceFile(text, FILE);
}

function traceOf(text: string): Trace {
  const result = parse(text);
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatTraceError).join('\n'));
  return result.trace;
}

function errorsOf(text: string): string[] {
  const result = parse(text);
  assert.ok(!result.ok, 'expected the trace file to be rejected');
  return result.errors.map(formatTraceError);
}

/** The S1 file with its parsed JSON changed by `edit`. */
function edited(edit: (file: Record<string, any>) => void): string {
  const file = JSON.parse(S1_TEXT);
  edit(file);
  return JSON.stringify(file, null, 2);
}

/** The 1-based `line:column` of `offset` in `text`. */
function positionAt(text: string, offset: number): string {
  const lines = text.slice(0, offset).split('\n');
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}

/** The `line:column` of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): string {
  assert.ok(text.includes(needle), `${needle} not in the text`);
  return positionAt(text, text.indexOf(needle));
}

/** What a replay rebuilds, without the scenario (a built-in gains its default slots when parsed). */
function replayed(trace: Trace) {
  const { scenario: _scenario, ...rest } = trace;
  return rest;
}

describe('trace files', () => {
  describe('round trip', () => {
    for (const [scenario, kernel] of [
      ['anon-direct-aba', 'v6.7'],
      ['shmem-direct-aba', 'shmem-bypass-2023'],
      ['zswap-exclusive-load', 'v6.7'],
      ['swapoff-vs-direct', 'v5.13'],
      ['direct-pin-retry', 'v6.7'],
    ] as const) {
      it(`reads back the counterexample of ${scenario} on ${kernel}`, () => {
        const trace = violationTrace(scenario, kernel);
        const read = traceOf(serializeTrace(trace));
        assert.deepEqual(replayed(read), replayed(trace));
        assert.equal(read.scenario.id, scenario);
        // Once parsed, the scenario is a fixed point: the file text no longer changes.
        assert.equal(serializeTrace(traceOf(serializeTrace(read))), serializeTrace(read));
      });
    }

    it('keeps a scenario read from a file exactly', () => {
      const parsed = parseScenario(readFileSync('test/fixtures/cli/direct-aba.swaprace.json', 'utf8'), 'direct-aba', KNOWN_KERNELS);
      assert.ok(parsed.ok);
      const trace = checkScenario(parsed.scenario).trace!;
      assert.deepEqual(traceOf(serializeTrace(trace)), trace);
    });

    it('writes pretty JSON with the summary first and without the states, which replay rebuilds', () => {
      const keys = Object.keys(JSON.parse(S1_TEXT));
      assert.deepEqual(keys, ['format', 'version', 'kernel', 'verdict', 'schedule', 'violation', 'scenario', 'threads', 'steps']);
      assert.match(S1_TEXT, /^\{\n {2}"format": "swaprace.trace",\n {2}"version": 1,\n/);
      assert.ok(S1_TEXT.endsWith('}\n'));
    });

    it('accepts a byte order mark and CRLF line ends', () => {
      assert.deepEqual(replayed(traceOf('\ufeff' + S1_TEXT.replace(/\n/g, '\r\n'))), replayed(S1));
    });

    it('trusts no recorded step, thread or message: the returned trace is the replayed one', () => {
      const text = edited((file) => {
        file.steps = [{ thread: 0, stepId: 'forged', label: '<script>' }];
        file.threads = [{ name: 'Mallory' }];
        file.violation.message = 'forged message';
      });
      const trace = traceOf(text);
      assert.deepEqual(trace.steps, S1.steps);
      assert.deepEqual(trace.threads, S1.threads);
      assert.equal(trace.violation?.message, S1.violation?.message);
      assert.equal(trace.states.length, S1.steps.length + 1);
    });
  });

  describe('rejects, with positioned errors', () => {
    it('text that is not JSON, naming the field being written where it stops', () => {
      assert.deepEqual(errorsOf(S1_TEXT.slice(0, S1_TEXT.indexOf('"kernel"'))), [`${FILE}:4:3: (root): expected a property name in double quotes, but the file ends here`]);
      assert.deepEqual(errorsOf(S1_TEXT.slice(0, 40)), [`${FILE}:3:3: versi: expected a closing double quote on the same line`]);
      assert.deepEqual(errorsOf(''), [`${FILE}:1:1: (root): expected a value, but the file ends here`]);
      assert.deepEqual(errorsOf(S1_TEXT.replace('"verdict": "violation",', '"verdict": "violation"')), [`${FILE}:6:3: verdict: expected "," between items`]);
      assert.deepEqual(errorsOf('[1]'), [`${FILE}:1:1: (root): expected a trace object but got an array`]);
    });

    it('comments, which a trace file (written by a program) never has', () => {
      assert.deepEqual(errorsOf('// hand-edited\n' + S1_TEXT), [`${FILE}:1:1: (root): expected no comment: this file is plain JSON`]);
    });

    it('another format or version', () => {
      const other = edited((file) => (file.format = 'swaprace.scenario'));
      assert.deepEqual(errorsOf(other), [`${FILE}:2:13: format: expected "swaprace.trace" (is this a swaprace trace?) but got "swaprace.scenario"`]);
      const newer = edited((file) => (file.version = 2));
      assert.deepEqual(errorsOf(newer), [`${FILE}:3:14: version: expected version 1, the only one this swaprace reads, but got 2`]);
    });

    it('missing, repeated and unknown fields', () => {
      const missing = edited((file) => delete file.schedule);
      assert.deepEqual(errorsOf(missing), [`${FILE}:1:1: schedule: required field is missing`]);
      const repeated = S1_TEXT.replace('"verdict": "violation",', '"verdict": "violation", "verdict": "verified",');
      assert.deepEqual(errorsOf(repeated), [`${FILE}:5:27: verdict: expected each key once, but this one is repeated`]);
      const unknown = edited((file) => (file.comment = 'hi'));
      assert.match(errorsOf(unknown)[0], /^shared\.swaptrace\.json:\d+:3: comment: unknown field; expected one of "format", /);
    });

    it('an unknown kernel or verdict', () => {
      const kernel = edited((file) => (file.kernel = 'v9.9'));
      assert.deepEqual(errorsOf(kernel), [
        `${FILE}:4:13: kernel: expected one of the known kernels "v5.13", "v6.7", "shmem-bypass-2023", "v6.8", "v6.12", "v6.14", "v6.18", "v7.0" but got "v9.9"`,
      ]);
      const verdict = edited((file) => (file.verdict = 'maybe'));
      assert.deepEqual(errorsOf(verdict), [`${FILE}:5:14: verdict: expected one of "violation", "verified", "bounded" but got "maybe"`]);
    });

    it('an invalid embedded scenario, at the position of the problem in the trace file', () => {
      const text = edited((file) => {
        file.scenario.device.slots = 'two';
        file.scenario.threads[1].ops[0].page = 'q0';
      });
      assert.deepEqual(errorsOf(text), [
        `${FILE}:${positionOf(text, '"two"')}: scenario.device.slots: expected an integer from 1 to 8 but got "two"`,
        `${FILE}:${positionOf(text, '"q0"')}: scenario.threads[1].ops[0].page: expected one of the declared pages "p0" but got "q0"`,
      ]);
      const inline = S1_TEXT.replace(/"scenario": \{/, '"scenario": { "zzz": 1,');
      assert.match(errorsOf(inline)[0], new RegExp(`^${FILE}:${positionOf(inline, '"zzz"')}: scenario.zzz: unknown field`));
      assert.deepEqual(errorsOf(edited((file) => (file.scenario = [1]))), [`${FILE}:${positionOf(edited((file) => (file.scenario = [1])), '[')}: scenario: expected a scenario object but got an array`]);
    });

    it('a schedule that is not one', () => {
      const syntax = edited((file) => (file.schedule = '0.0.x'));
      assert.deepEqual(errorsOf(syntax), [`${FILE}:6:15: schedule: expected a schedule such as "0.0.1.2/1": character 5: expected a thread index like 0 or 2/1, got "x"`]);
      const emptyCycle = edited((file) => (file.schedule = '0.1~'));
      assert.deepEqual(errorsOf(emptyCycle), [`${FILE}:6:15: schedule: expected a schedule such as "0.0.1.2/1": "~" must be followed by the steps that repeat`]);
      const number = edited((file) => (file.schedule = 7));
      assert.deepEqual(errorsOf(number), [`${FILE}:6:15: schedule: expected a schedule string such as "0.0.1.2/1" but got 7`]);
    });

    it('a schedule that does not replay on the scenario', () => {
      const thread = edited((file) => (file.schedule = '0.5'));
      assert.deepEqual(errorsOf(thread), [`${FILE}:6:15: schedule: the schedule does not replay on this scenario and kernel: schedule step 2: there is no thread 5 (the scenario has 3)`]);
      const finished = edited((file) => (file.schedule = '1'.repeat(30).split('').join('.')));
      assert.deepEqual(errorsOf(finished), [`${FILE}:6:15: schedule: the schedule does not replay on this scenario and kernel: schedule step 15: T1 cannot move (finished)`]);
    });

    it('a schedule that replays but does not reproduce the recorded violation', () => {
      const shorter = edited((file) => (file.schedule = file.schedule.slice(0, -2)));
      assert.deepEqual(errorsOf(shorter), [
        `${FILE}:7:16: violation: the schedule does not reproduce the recorded violation (no-stale-install after step 28): replaying it, no property fails`,
      ]);
      const property = edited((file) => (file.violation.property = 'no-lost-write'));
      assert.deepEqual(errorsOf(property), [
        `${FILE}:7:16: violation: the schedule does not reproduce the recorded violation (no-lost-write after step 28): replaying it, no-stale-install fails after step 28`,
      ]);
      const step = edited((file) => (file.violation.step = 3));
      assert.match(errorsOf(step)[0], /recorded violation \(no-stale-install after step 4\): replaying it, no-stale-install fails after step 28$/);
    });

    it('a verdict the schedule contradicts', () => {
      const verified = edited((file) => {
        file.verdict = 'verified';
        delete file.violation;
      });
      assert.deepEqual(errorsOf(verified), [`${FILE}:5:14: verdict: the trace says "verified" but replaying its schedule, no-stale-install fails after step 28`]);
      const withViolation = edited((file) => (file.verdict = 'bounded'));
      assert.deepEqual(errorsOf(withViolation), [`${FILE}:7:3: violation: expected no "violation" in a trace whose verdict is "bounded"`]);
      const without = edited((file) => delete file.violation);
      assert.deepEqual(errorsOf(without), [`${FILE}:5:14: violation: expected a "violation" object in a trace whose verdict is "violation"`]);
    });

    it('a cycle that does not close or is no livelock', () => {
      const pinned = checkScenario(getBuiltinScenario('direct-pin-retry')!, { kernel: 'v6.8' });
      assert.equal(pinned.verdict, 'verified');
      // T0 pins the slot in 5 steps; T1 then re-faults in a loop of 7 steps while T0 could move but is never scheduled.
      const file = (schedule: string) =>
        edited((f) => {
          f.scenario = getBuiltinScenario('direct-pin-retry');
          f.kernel = 'v6.8';
          f.schedule = schedule;
          f.violation = { step: 18, property: 'fault-completes', message: 'livelock' };
        });
      assert.deepEqual(errorsOf(file('0.0.0.0.0.1.1.1.1.1.1.1~1.1.1.1.1.1.1')), [
        `${FILE}:6:15: schedule: the schedule does not replay on this scenario and kernel: the cycle after "~" is not a livelock: T0 could move at every step of it but never does`,
      ]);
      assert.deepEqual(errorsOf(file('0.0.0.0.0.1.1.1.1.1.1.1~1.1.1')), [
        `${FILE}:6:15: schedule: the schedule does not replay on this scenario and kernel: the cycle after "~" does not return to the state it starts from (after step 12), so it cannot repeat forever`,
      ]);
    });

    it('a cycle after a safety violation, or in a scenario that looks for no livelock', () => {
      // S1's last step installs the stale folio: nothing repeats after it.
      const faked = S1.schedule.replace(/\.0$/, '~0');
      assert.notEqual(faked, S1.schedule);
      assert.deepEqual(errorsOf(edited((f) => (f.schedule = faked))), [
        `${FILE}:6:15: schedule: the schedule does not replay on this scenario and kernel: a cycle ("~") stands for a livelock, but no-stale-install fails after step 28, which ends the execution`,
      ]);
      const spinning = getBuiltinScenario('direct-pin-retry')!;
      const safetyOnly = { ...spinning, properties: spinning.properties.filter((p) => p !== 'fault-completes') };
      assert.throws(() => replaySchedule(safetyOnly, 'v6.8', parseSchedule('0.0.0.0.0.1.1~1.1.1.1.1.1.1')), /does not check fault-completes/);
    });
  });

  describe('hostile content', () => {
    it('prototype-pollution keys are unknown fields, and pollute nothing', () => {
      const text = S1_TEXT.replace('"format"', '"__proto__": { "polluted": true }, "constructor": { "prototype": { "polluted": true } }, "format"')
        .replace('"step": 27', '"__proto__": { "polluted": true }, "step": 27')
        .replace('"expect": {', '"expect": { "__proto__": "fail",');
      const errors = errorsOf(text);
      assert.deepEqual(
        errors.map((error) => error.split(': ').slice(1, 3).join(': ')),
        ['__proto__: unknown field; expected one of "format", "version", "kernel", "verdict", "schedule", "violation", "scenario", "threads", "steps", "states"',
          'constructor: unknown field; expected one of "format", "version", "kernel", "verdict", "schedule", "violation", "scenario", "threads", "steps", "states"',
          'violation.__proto__: unknown field; expected one of "step", "property", "message"',
          'scenario.expect.__proto__: expected one of the known kernels "v5.13", "v6.7", "shmem-bypass-2023", "v6.8", "v6.12", "v6.14", "v6.18", "v7.0" but got "__proto__"'],
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('huge and fractional numbers', () => {
      assert.deepEqual(errorsOf(S1_TEXT.replace('"version": 1', '"version": 1e400')), [`${FILE}:3:14: version: expected version 1, the only one this swaprace reads, but got Infinity`]);
      assert.deepEqual(errorsOf(S1_TEXT.replace('"step": 27', '"step": 1e308')), [`${FILE}:8:13: violation.step: expected an integer from -1 to 20000 but got 1e+308`]);
      assert.deepEqual(errorsOf(S1_TEXT.replace('"step": 27', '"step": 27.5')), [`${FILE}:8:13: violation.step: expected an integer from -1 to 20000 but got 27.5`]);
      assert.match(errorsOf(S1_TEXT.replace('"slots": 2', '"slots": 99999999999999999999'))[0], /scenario\.device\.slots: expected an integer from 1 to 8 but got 100000000000000000000$/);
    });

    it('deep nesting, before the recursive parser sees it', () => {
      const deep = S1_TEXT.replace('"threads": [', `"threads": [${'['.repeat(100_000)}`);
      // The root, the scenario and its threads array are the first three levels.
      const firstTooDeep = deep.indexOf('"threads": [') + '"threads": '.length + TRACE_FILE_LIMITS.nesting - 2;
      assert.deepEqual(errorsOf(deep), [`${FILE}:${positionAt(deep, firstTooDeep)}: (root): expected at most 64 levels of nested objects and arrays`]);
    });

    it('a file or schedule beyond the size limits', () => {
      const huge = S1_TEXT.replace('"steps": [', `"padding": "${'x'.repeat(TRACE_FILE_LIMITS.textLength)}", "steps": [`);
      assert.deepEqual(errorsOf(huge), [`${FILE}:1:1: (root): expected a trace file of at most 20971520 characters but got ${huge.length}`]);
      const long = edited((file) => (file.schedule = Array(TRACE_FILE_LIMITS.scheduleSteps + 1).fill('0').join('.')));
      assert.deepEqual(errorsOf(long), [`${FILE}:6:15: schedule: expected at most 20000 steps but got 20001`]);
    });

    it('wrong types everywhere, each reported', () => {
      const text = edited((file) => {
        file.steps = 'none';
        file.states = {};
        file.violation = { step: '27', property: 'no-such-property', message: 42 };
      });
      assert.deepEqual(errorsOf(text).map((error) => error.replace(/^[^ ]+ /, '')), [
        'violation.step: expected an integer from -1 to 20000 but got "27"',
        'violation.property: expected one of "no-stale-install", "no-lost-write", "swap-count-consistent", "no-freed-slot-read", "no-use-after-swapoff", "no-slot-leak", "fault-completes" but got "no-such-property"',
        'violation.message: expected a string but got 42',
        'steps: expected an array (it is ignored: replay rebuilds it) but got "none"',
        'states: expected an array (it is ignored: replay rebuilds it) but got an object',
      ]);
    });

    it('fuzzing: edited text never throws, and every error is positioned', function () {
      this.timeout(120_000);
      const lineCount = S1_TEXT.split('\n').length;
      const edit = fc.record({ at: fc.nat(S1_TEXT.length), remove: fc.nat(8), insert: fc.string({ unit: 'binary', maxLength: 8 }) });
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
          let text = S1_TEXT;
          for (const { at, remove, insert } of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
          const result = parse(text);
          if (result.ok) {
            assert.ok(['violation', 'verified', 'bounded'].includes(result.trace.verdict));
            assert.equal(result.trace.states.length, result.trace.steps.length + 1);
          } else {
            assertWellFormed(result.errors, lineCount + 40);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('fuzzing: any JSON value at any field never throws, and a trace that passes replays to itself', function () {
      this.timeout(120_000);
      const base = JSON.parse(S1_TEXT);
      const paths = pathsIn(base);
      const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
      const value = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.5, '', '\u0000', '\ud800'),
        fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 }),
      );
      fc.assert(
        fc.property(fc.constantFrom(...paths), value, fc.boolean(), (path, replacement, asRawKey) => {
          const file = structuredClone(base);
          const parent = path.slice(0, -1).reduce((object: any, key) => object[key], file);
          parent[path[path.length - 1]] = replacement;
          // JSON.stringify drops a "__proto__" own key set by assignment; write one into the text directly too.
          const text = asRawKey ? JSON.stringify(file, null, 2).replace('{', '{ "__proto__": { "polluted": 1 },') : JSON.stringify(file, null, 2);
          const result = parse(text);
          if (result.ok) assert.deepEqual(traceOf(serializeTrace(result.trace)).steps, result.trace.steps);
          else assertWellFormed(result.errors, Infinity);
          assert.equal(({} as Record<string, unknown>).polluted, undefined);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('replaySchedule', () => {
    it('judges one execution: a violation when a property fails along it, else no violation', () => {
      const scenario = getBuiltinScenario('anon-direct-aba')!;
      assert.deepEqual(replaySchedule(scenario, 'v6.7', parseSchedule(S1.schedule)), S1);
      const prefix = replaySchedule(scenario, 'v6.7', parseSchedule('0.0.1'));
      assert.equal(prefix.verdict, 'verified');
      assert.equal(prefix.violation, undefined);
      assert.throws(() => replaySchedule(scenario, 'v6.7', parseSchedule('3')), ReplayError);
    });

    it('refuses a schedule longer than a trace file may hold, before replaying it', () => {
      const spinning = getBuiltinScenario('direct-pin-retry')!;
      const long = parseSchedule(`0.0.0.0.0.${Array(TRACE_FILE_LIMITS.scheduleSteps).fill(1).join('.')}`);
      assert.throws(() => replaySchedule(spinning, 'v6.8', long), new ReplayError(`it has ${TRACE_FILE_LIMITS.scheduleSteps + 5} steps, more than the ${TRACE_FILE_LIMITS.scheduleSteps} a trace may have`));
    });
  });
});

function assertWellFormed(errors: readonly { file: string; line: number; column: number; field: string; message: string }[], maxLine: number): void {
  assert.ok(errors.length > 0 && errors.length <= TRACE_FILE_LIMITS.reportedErrors + 1);
  for (const error of errors) {
    assert.equal(error.file, FILE);
    assert.ok(Number.isInteger(error.line) && error.line >= 1 && error.line <= maxLine, formatTraceError(error));
    assert.ok(Number.isInteger(error.column) && error.column >= 1, formatTraceError(error));
    assert.ok(error.field.length > 0 && error.message.length > 0, formatTraceError(error));
    assert.doesNotMatch(error.message, /internal error/, formatTraceError(error));
  }
}
