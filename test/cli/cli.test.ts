/**
 * The `swaprace` command line as a user runs it: a real process (through esbuild-register, so no build is
 * needed), its exit code, stdout and stderr.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { KERNEL_IDS } from '../../src/core/kernels/versions';
import { assertCleanError, json, swaprace, type Run } from './helpers';

const FIXTURE = 'test/fixtures/cli/direct-aba.swaprace.json';
const MALFORMED = 'test/fixtures/cli/malformed.swaprace.json';

describe('swaprace command line', function () {
  this.timeout(60_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'swaprace-cli-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('list: the built-in scenarios with their race and expectations, and the kernel versions with their commits', async () => {
    const [run, asJson] = await Promise.all([swaprace('list'), swaprace('list', '--json')]);
    assert.equal(run.code, 0);
    for (const scenario of BUILTIN_SCENARIOS) assert.ok(run.stdout.includes(`  ${scenario.id} `), scenario.id);
    for (const kernel of KERNEL_IDS) assert.ok(run.stdout.includes(`  ${kernel} `), kernel);
    assert.match(run.stdout, /anon-direct-aba +S1 +S1: direct swap-in ABA/);
    assert.match(run.stdout, /kernel v6\.7; fails on v5\.13, v6\.7, shmem-bypass-2023; passes on v6\.8,/);
    assert.ok(run.stdout.includes('13ddaf26be32 mm/swap: fix race when skipping swapcache'));
    const listed = json(asJson);
    assert.deepEqual(listed.kernels.map((k: { id: string }) => k.id), KERNEL_IDS);
    assert.equal(listed.scenarios[0].expect['v6.7'], 'fail');
  });

  describe('check', () => {
    it('finds the S1 violation on v6.7: exit 1, the property, the schedule and the steps', async () => {
      const run = await swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--json');
      assert.equal(run.code, 1);
      assert.equal(run.stderr, '', 'no progress line when stderr is not a terminal');
      const result = json(run);
      assert.equal(result.verdict, 'violation');
      assert.equal(result.property, 'no-stale-install');
      assert.equal(result.kernel, 'v6.7');
      assert.equal(result.message, 'p0 mapped folio 0 holding value 1, but the latest value written is 2');
      assert.match(result.schedule, /^\d+(\.\d+)+$/);
      assert.equal(result.steps.length, result.schedule.split('.').length);
      assert.equal(result.violationStep, result.steps.length - 1);
      assert.deepEqual(Object.keys(result.steps[0]).sort(), ['anchor', 'label', 'reads', 'stepId', 'thread', 'writes']);
      assert.deepEqual(result.threads, ['T0', 'T1', 'R']);
      assert.deepEqual(Object.keys(result.stats).sort(), ['maxDepth', 'ms', 'states', 'transitions']);
      assert.deepEqual(result.limits, { maxStates: 2_000_000, maxDepth: 400, timeoutMs: 120_000 });
    });

    it('verifies S1 on v6.8: exit 0', async () => {
      const run = await swaprace('check', 'anon-direct-aba', '--kernel', 'v6.8', '--json');
      assert.equal(run.code, 0);
      const result = json(run);
      assert.equal(result.verdict, 'verified');
      assert.equal(result.property, null);
      assert.equal(result.schedule, null);
      assert.deepEqual(result.steps, []);
      assert.ok(result.stats.states > 1000);
    });

    it('says in plain words what failed: property, message, schedule and each step', async () => {
      const run = await swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7');
      assert.equal(run.code, 1);
      const lines = run.stdout.split('\n');
      assert.equal(lines[0], 'anon-direct-aba on v6.7: VIOLATION of no-stale-install');
      assert.equal(lines[1], '  p0 mapped folio 0 holding value 1, but the latest value written is 2');
      assert.equal(lines[2], 'why:');
      assert.match(run.stdout, /\n {2}step \d+: R allocated slot 0 again for p0: the swap entry is bit-identical to the old one\.\n/);
      assert.match(run.stdout, /\n {2}step \d+: T0's pte_same\(\) then compared equal on the reused entry\.\n/);
      assert.match(run.stdout, /\nschedule: [\d.]+\n/);
      assert.match(run.stdout, /\n {5}1 {2}T0 {2}handle_pte_fault\.orig_pte +p0: orig_pte = swap\(slot 0\)\n/);
      assert.match(run.stdout, /\n > {2}28 {2}T0 {2}do_swap_page\.set_pte +p0 now maps folio 0 \(value 1\) {3}<- no-stale-install fails here\n/);
      assert.match(run.stdout, /\nreplay: swaprace replay --scenario anon-direct-aba --kernel v6\.7 --schedule [\d.]+\n$/);
    });

    it('checks a scenario file', async () => {
      const [run, onV70] = await Promise.all([swaprace('check', FIXTURE, '--json'), swaprace('check', FIXTURE, '--kernel', 'v7.0')]);
      assert.equal(run.code, 1);
      const result = json(run);
      assert.equal(result.scenario, 'cli-direct-aba');
      assert.equal(result.file, FIXTURE);
      assert.equal(result.property, 'no-stale-install');
      assert.equal(onV70.code, 0);
    });

    it('stops at --max-states 1 with exit 3', async () => {
      const run = await swaprace('check', 'anon-direct-aba', '--max-states', '1', '--json');
      assert.equal(run.code, 3);
      const result = json(run);
      assert.equal(result.verdict, 'bounded');
      assert.equal(result.bound, 'states');
      assert.equal(result.limits.maxStates, 1);
    });

    it('prints SARIF 2.1.0 with one result per violation, located in the scenario file', async () => {
      const [run, onV68] = await Promise.all([swaprace('check', FIXTURE, '--sarif'), swaprace('check', 'anon-direct-aba', '--kernel', 'v6.8', '--sarif')]);
      assert.equal(run.code, 1);
      const sarif = json(run);
      assert.equal(sarif.version, '2.1.0');
      const [sarifRun] = sarif.runs;
      assert.equal(sarifRun.tool.driver.name, 'swaprace');
      assert.equal(sarifRun.results.length, 1);
      const [result] = sarifRun.results;
      assert.equal(result.ruleId, 'no-stale-install');
      assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, 'no-stale-install');
      assert.match(result.message.text, /p mapped folio 0 holding value 1/);
      // The file lists its properties on line 14; the result points at the entry of the one that failed.
      assert.deepEqual(result.locations[0].physicalLocation, { artifactLocation: { uri: FIXTURE }, region: { startLine: 14, startColumn: 18 } });
      assert.match(result.properties.schedule, /^[\d.]+$/);
      assert.equal(onV68.code, 0);
      assert.deepEqual(json(onV68).runs[0].results, []);
    });

    it('rejects a malformed scenario file with its positioned errors', async () => {
      const run = await swaprace('check', MALFORMED);
      assertCleanError(run, /^swaprace: test\/fixtures\/cli\/malformed\.swaprace\.json: the scenario has 2 problems:\n/);
      assert.ok(run.stderr.includes(`\n${MALFORMED}:4:24: device.slots: expected an integer from 1 to 8 but got "two"\n`));
      assert.ok(run.stderr.includes(`\n${MALFORMED}:6:62: threads[0].ops[0].page: expected one of the declared pages "p" but got "q"\n`));
    });

    it('rejects bad input with one clear line and exit 2', async () => {
      const cases: [string[], RegExp][] = [
        [['check', 'anon-direct-aba', '--kernel', 'v9.9'], /^swaprace: unknown kernel version "v9\.9" \(known: v5\.13, v6\.7,.*\)\n$/],
        [['check', 'no-such-scenario'], /^swaprace: unknown scenario "no-such-scenario": not a built-in scenario \(anon-direct-aba, .*\) and not a file\n$/],
        [['check', 'missing.swaprace.json'], /^swaprace: missing\.swaprace\.json: cannot read the scenario file: no such file or directory\n$/],
        [['check', 'anon-direct-aba', '--max-states', '0'], /^swaprace: --max-states expects a whole number from 1 to 1,000,000,000, got "0"\n$/],
        [['check', 'anon-direct-aba', '--max-depth', '-3'], /^swaprace: --max-depth expects a whole number from 1 to 10,000, got "-3"\n$/],
        [['check', 'anon-direct-aba', '--workers', '1000'], /^swaprace: --workers expects a whole number from 1 to 64, got "1000"\n$/],
        [['check', 'anon-direct-aba', '--timeout', 'soon'], /^swaprace: --timeout expects seconds/],
        [['check', 'anon-direct-aba', '--shard', '3/2'], /^swaprace: --shard expects k\/n with 1 <= k <= n/],
        [['check', 'anon-direct-aba', '--strategy', 'luck'], /^swaprace: unknown strategy "luck" \(known: portfolio, /],
        [['check', 'anon-direct-aba', '--frobnicate'], /^swaprace: unknown option --frobnicate \(see swaprace check --help\)\n$/],
        [['check', '-anon'], /^swaprace: unknown option -anon: options start with two dashes, as in --json \(see swaprace check --help\)\n$/],
        [['check', 'anon-direct-aba', '--json', '--sarif'], /^swaprace: --json and --sarif cannot be used together\n$/],
        [['check'], /^swaprace: swaprace check expects <scenario-id\|file>, got 0 argument\(s\)/],
        [['frobnicate'], /^swaprace: unknown command "frobnicate"/],
      ];
      const runs = await Promise.all(cases.map(([args]) => swaprace(...args)));
      runs.forEach((run, i) => assertCleanError(run, cases[i][1]));
    });

    it('says in words why the file system refused a path, not with its error code', async () => {
      const scratch = mkdtempSync(join(tmpdir(), 'swaprace-paths-'));
      try {
        symlinkSync('loop-b.json', join(scratch, 'loop-a.json'));
        symlinkSync('loop-a.json', join(scratch, 'loop-b.json'));
        const long = join(scratch, `${'x'.repeat(300)}.json`);
        const cases: [string[], RegExp][] = [
          [['check', join(scratch, 'loop-a.json')], /: cannot read the scenario file: too many levels of symbolic links\n$/],
          [['check', long], /: cannot read the scenario file: the name is too long\n$/],
          [['check', 'anon-direct-aba', '--out', long], /: cannot write the trace: the name is too long\n$/],
        ];
        const runs = await Promise.all(cases.map(([args]) => swaprace(...args)));
        runs.forEach((run, i) => assertCleanError(run, cases[i][1]));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });

  describe('traces', () => {
    let tracePath: string;
    /** The check that wrote the trace, as --json printed it. */
    let checkRun: Run;
    before(async () => {
      tracePath = join(scratch, 's1.swaptrace.json');
      checkRun = await swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--out', tracePath, '--json');
      assert.equal(checkRun.code, 1, checkRun.stderr);
    });

    it('check --out writes a trace that replay accepts and reproduces', async () => {
      const [run, text] = await Promise.all([swaprace('replay', tracePath, '--json'), swaprace('replay', tracePath)]);
      const checked = json(checkRun);
      assert.equal(run.code, 1, run.stderr);
      const replayed = json(run);
      assert.equal(replayed.verdict, 'violation');
      assert.equal(replayed.schedule, checked.schedule);
      assert.deepEqual(replayed.steps, checked.steps);
      assert.equal(replayed.states.length, checked.steps.length + 1);
      assert.match(text.stdout, /^anon-direct-aba on v6\.7: VIOLATION of no-stale-install\n/);
      assert.match(text.stdout, /<- no-stale-install fails here\n$/);
    });

    it('replay rejects a tampered trace with a positioned error', async () => {
      const tampered = join(scratch, 'tampered.swaptrace.json');
      writeFileSync(tampered, readFileSync(tracePath, 'utf8').replace(/"schedule": "0\.0\./, '"schedule": "2.0.'));
      const run = await swaprace('replay', tampered);
      assertCleanError(run, /the trace has a problem:\n/);
      assert.ok(run.stderr.includes(`\n${tampered}:6:15: schedule: the schedule does not`), run.stderr);
    });

    it('replays a schedule given on the command line', async () => {
      const [run, unfit, noSchedule] = await Promise.all([
        swaprace('replay', '--scenario', 'anon-direct-aba', '--kernel', 'v6.8', '--schedule', '0.0.1'),
        swaprace('replay', '--scenario', 'anon-direct-aba', '--schedule', '0.7'),
        swaprace('replay', '--scenario', 'anon-direct-aba'),
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^anon-direct-aba on v6\.8: no property fails along this schedule\nschedule: 0\.0\.1\n/);
      assert.equal(run.stdout.trimEnd().split('\n').length, 6);
      assertCleanError(unfit, /^swaprace: cannot replay the schedule on anon-direct-aba \(v6\.7\): schedule step 2: there is no thread 7 \(the scenario has 3\)\n$/);
      assertCleanError(noSchedule, /needs --schedule/);
    });

    it('export --format markdown writes a bug report, interleaving a commit message\'s diagram', async () => {
      const out = join(scratch, 's1.mmd');
      const [run, mermaid, interleaving, pdf] = await Promise.all([
        swaprace('export', tracePath, '--format', 'markdown'),
        swaprace('export', tracePath, '--format', 'mermaid', '--out', out),
        swaprace('export', tracePath, '--format', 'interleaving'),
        swaprace('export', tracePath, '--format', 'pdf'),
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^# Swap race: S1: direct swap-in ABA on an anonymous page\n/);
      assert.ok(run.stdout.includes('| # | thread | step | what happened |'));
      assert.ok(run.stdout.includes('⚠ **no-stale-install fails here**'));
      assert.equal(mermaid.code, 0);
      assert.match(readFileSync(out, 'utf8'), /^sequenceDiagram\n/);
      assert.equal(interleaving.code, 0, interleaving.stderr);
      assert.match(interleaving.stdout, /\nT0 +T1 +R\n-- +-- +-\n/);
      assert.match(interleaving.stdout, /\n {2}<- no-stale-install\n {2}fails here\n$/);
      assertCleanError(pdf, /^swaprace: unknown export format "pdf" \(known: markdown, mermaid, perfetto, interleaving\)\n$/);
    });
  });

  describe('compare', () => {
    it('prints a table of verdicts per version, with the steps of a counterexample and the bounds of a verified one', async () => {
      const run = await swaprace('compare', 'anon-direct-aba', '--kernels', 'v6.7,v6.8');
      assert.equal(run.code, 0, run.stderr);
      const rows = run.stdout.split('\n').map((line) => line.split(/ {2,}/));
      assert.deepEqual(
        rows.map((row) => row.slice(0, 4)),
        [['anon-direct-aba: S1: direct swap-in ABA on an anonymous page'], ['kernel', 'verdict', 'expect', 'property'], ['v6.7', 'violation', 'fail', 'no-stale-install'], ['v6.8', 'verified', 'pass', '-'], ['2 of 2 verdicts as expected'], ['']],
      );
      assert.deepEqual(rows[1].slice(4), ['steps', 'states', 'time', 'bounds']);
      assert.match(rows[2][4], /^\d+$/);
      assert.deepEqual([rows[3][4], rows[3][7]], ['-', 'up to depth 400']);
    });

    it('marks a verdict that differs from the scenario\'s expectation, and exits 1', async () => {
      const [run, text, twice] = await Promise.all([
        swaprace('compare', FIXTURE, '--kernels', 'v6.7,v6.8', '--json'),
        swaprace('compare', FIXTURE, '--kernels', 'v6.7'),
        swaprace('compare', FIXTURE, '--kernels', 'v6.7,v6.7'),
      ]);
      assert.equal(run.code, 1);
      const rows = json(run);
      assert.deepEqual(rows.map((row: any) => [row.kernel, row.verdict, row.expect, row.asExpected]), [['v6.7', 'violation', 'pass', false], ['v6.8', 'verified', 'pass', true]]);
      assert.match(text.stdout, /\nv6\.7 +violation +pass +no-stale-install +\d+ +[\d,]+ +[\d.]+ s +- +<- differs from expect\n/);
      assertCleanError(twice, /^swaprace: --kernels names v6\.7 twice\n$/);
    });
  });

  describe('merge', () => {
    async function shard(kernel: string, part: string): Promise<string> {
      const path = join(scratch, `${kernel}-${part.replace('/', 'of')}.json`);
      writeFileSync(path, (await swaprace('check', 'anon-direct-aba', '--kernel', kernel, '--shard', part, '--json')).stdout);
      return path;
    }

    it('combines shard results: a violation wins, stats are summed', async () => {
      const [a, b] = await Promise.all([shard('v6.7', '1/2'), shard('v6.7', '2/2')]);
      const run = await swaprace('merge', a, b, '--json');
      assert.equal(run.code, 1);
      const merged = json(run);
      assert.equal(merged.verdict, 'violation');
      assert.equal(merged.property, 'no-stale-install');
      assert.equal(merged.stats.states, JSON.parse(readFileSync(a, 'utf8')).stats.states + JSON.parse(readFileSync(b, 'utf8')).stats.states);
      assert.equal(merged.shard, null);
    });

    it('is verified only when every shard is there', async () => {
      const [first, second] = await Promise.all([shard('v6.8', '1/2'), shard('v6.8', '2/2')]);
      const notJson = join(scratch, 'not.json');
      writeFileSync(notJson, '{"verdict": "verified", "__proto__": {}}');
      const [run, complete, repeated, malformed] = await Promise.all([
        swaprace('merge', first, '--json'),
        swaprace('merge', first, second),
        swaprace('merge', first, first),
        swaprace('merge', notJson),
      ]);
      assert.equal(run.code, 3);
      assert.equal(json(run).message, 'shard 2 of 2 missing: the search is incomplete');
      assert.equal(complete.code, 0);
      assertCleanError(repeated, /^swaprace: cannot merge: shard 1\/2 is given twice\n$/);
      assertCleanError(malformed, /^swaprace: .*not\.json: expected "scenario" to be a string\n$/);
    });
  });

  it('prints usage for no command (exit 2) and help for a command (exit 0)', async () => {
    const [none, help] = await Promise.all([swaprace(), swaprace('check', '--help')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^usage: swaprace <command>/);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: swaprace check <scenario-id\|file> \[options\]/);
  });
});
