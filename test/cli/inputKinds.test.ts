/**
 * A file of one kind given where another is expected (a trace to check, a scenario or a check result to replay or
 * export, either to merge): one line that says what the file is and which command takes it, not the wrong format's every error.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCleanError, s1Files, swaprace, type Run } from './helpers';

/** A scenario file with comments, as people write them. */
const SCENARIO = 'test/fixtures/cli/direct-aba.swaprace.json';
const MALFORMED_SCENARIO = 'test/fixtures/cli/malformed.swaprace.json';

/** Exactly one error line, and it is `expected`. */
function assertOneLine(run: Run, expected: string): void {
  assertCleanError(run, /./);
  assert.equal(run.stderr, `${expected}\n`);
}

describe('swaprace given the wrong kind of file', function () {
  this.timeout(60_000);
  let scratch: string;
  let trace: string;
  let result: string;
  before(async () => {
    ({ scratch, trace, result } = await s1Files('swaprace-kinds-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('a trace file where a scenario is expected: use replay', async () => {
    const [check, replayOn] = await Promise.all([swaprace('check', trace), swaprace('replay', '--scenario', trace, '--schedule', '0')]);
    for (const run of [check, replayOn]) assertOneLine(run, `swaprace: ${trace} is a trace file, not a scenario: use swaprace replay ${trace}`);
  });

  it('a scenario where a trace file is expected: use check', async () => {
    const [replay, exported] = await Promise.all([swaprace('replay', SCENARIO), swaprace('export', SCENARIO, '--format', 'markdown')]);
    for (const run of [replay, exported]) assertOneLine(run, `swaprace: ${SCENARIO} is a scenario, not a trace file: use swaprace check ${SCENARIO}`);
  });

  it('a check --json result where a trace file or a scenario is expected: use merge', async () => {
    const [exported, check] = await Promise.all([swaprace('export', result, '--format', 'markdown'), swaprace('check', result)]);
    assertOneLine(exported, `swaprace: ${result} is a result of swaprace check --json, not a trace file: use swaprace merge ${result}`);
    assertOneLine(check, `swaprace: ${result} is a result of swaprace check --json, not a scenario: use swaprace merge ${result}`);
  });

  it('a trace file or a scenario where a check result is expected: merge names the command that takes it', async () => {
    const [traceMerged, scenarioMerged] = await Promise.all([swaprace('merge', trace), swaprace('merge', SCENARIO)]);
    assertOneLine(traceMerged, `swaprace: ${trace} is a trace file, not a result of swaprace check --json: use swaprace replay ${trace}`);
    assertOneLine(scenarioMerged, `swaprace: ${SCENARIO} is a scenario, not a result of swaprace check --json: use swaprace check ${SCENARIO}`);
  });

  it('a broken file of the expected kind still gets its positioned errors', async () => {
    const brokenTrace = join(scratch, 'broken.swaptrace.json');
    writeFileSync(brokenTrace, readFileSync(trace, 'utf8').replace('"version": 1', '"version": 9'));
    const [replay, check] = await Promise.all([swaprace('replay', brokenTrace), swaprace('check', MALFORMED_SCENARIO)]);
    assertCleanError(replay, new RegExp(`^swaprace: ${brokenTrace}: the trace has a problem:\\n${brokenTrace}:3:14: version: `));
    assertCleanError(check, /^swaprace: test\/fixtures\/cli\/malformed\.swaprace\.json: the scenario has 2 problems:\n/);
  });

  it('a file nested thousands of levels deep: positioned errors, not a blown stack while telling its kind', async () => {
    const deep = join(scratch, 'deep.json');
    writeFileSync(deep, `${'['.repeat(6000)}${']'.repeat(6000)}`);
    const [check, replay, merged] = await Promise.all([swaprace('check', deep), swaprace('replay', deep), swaprace('merge', deep)]);
    assertCleanError(check, new RegExp(`^swaprace: ${deep}: the scenario has a problem:\\n${deep}:1:65: \\(root\\): expected at most 64 levels`));
    assertCleanError(replay, new RegExp(`^swaprace: ${deep}: the trace has a problem:\\n${deep}:1:65: \\(root\\): expected at most 64 levels`));
    assertOneLine(merged, `swaprace: ${deep}: expected the JSON object that swaprace check --json prints`);
  });

  it('a file that is not UTF-8: one line, naming UTF-16 when it is that, else the line with the stray bytes', async () => {
    const text = readFileSync(SCENARIO, 'utf8');
    const utf16 = join(scratch, 'utf16.swaprace.json');
    writeFileSync(utf16, `\ufeff${text}`, 'utf16le');
    const latin1 = join(scratch, 'latin1.swaprace.json');
    // A replacement character written as such (in a comment) is no stray byte; the Latin-1 é in the title is.
    const [before, after] = `// written as such: \ufffd\n${text}`.split('"title": "');
    writeFileSync(latin1, new Uint8Array([...Buffer.from(`${before}"title": "caf`), 0xe9, ...Buffer.from(after)]));
    const withBom = join(scratch, 'bom.swaprace.json');
    writeFileSync(withBom, `\ufeff${text}`);
    const [fromPowerShell, stray, bom, trace16] = await Promise.all([
      swaprace('check', utf16),
      swaprace('check', latin1),
      swaprace('check', withBom, '--kernel', 'v6.8'),
      swaprace('replay', utf16),
    ]);
    assertOneLine(fromPowerShell, `swaprace: ${utf16}: expected a scenario file in UTF-8, but it looks like UTF-16; save it as UTF-8`);
    assertOneLine(trace16, `swaprace: ${utf16}: expected a trace file in UTF-8, but it looks like UTF-16; save it as UTF-8`);
    const titleLine = text.slice(0, text.indexOf('"title"')).split('\n').length + 1;
    assertOneLine(stray, `swaprace: ${latin1}:${titleLine}: expected a scenario file in UTF-8, but this line has bytes that are not UTF-8`);
    assert.equal(bom.code, 0, bom.stderr);
  });

  it('a result file that is not JSON: merge says where it stops being JSON', async () => {
    const broken = join(scratch, 'broken-result.json');
    writeFileSync(broken, '{\n  "verdict": "verified",\n  "stats": [}\n');
    assertOneLine(await swaprace('merge', broken), `swaprace: ${broken}:3:13: expected the JSON that swaprace check --json prints, but it is not JSON (expected a value)`);
  });
});
