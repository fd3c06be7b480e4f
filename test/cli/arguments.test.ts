/**
 * The command line's arguments: repeated, negative, misplaced or ignored options, help and version, output
 * paths, and the exit code a verdict gives, also into a closed pipe. Real processes, as in cli.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verdictMessage } from '../../src/cli/resultJson';
import { assertCleanError, json, REPOSITORY, s1Files, swaprace } from './helpers';

const FIXTURES = 'test/fixtures/cli/arguments';
/** S1 as a file without "expect": compare judges each verdict by itself. */
const NO_EXPECT = `${FIXTURES}/no-expect.swaprace.json`;
/** Far more states than a 1 MiB store holds, and no race. */
const MANY_STATES = `${FIXTURES}/many-states.swaprace.json`;
/** A small scenario whose searches take milliseconds. */
const SMALL = ['zswap-exclusive-load', '--kernel', 'v6.8'];

/** The exit code of a run whose reader has gone before it writes (as `swaprace ... | true`), and its stderr. */
function exitCodeIntoClosedPipe(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', 'esbuild-register', 'src/cli/main.ts', ...args], { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed at once: the child spends half a second compiling before it writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('swaprace arguments', function () {
  this.timeout(60_000);
  let scratch: string;
  /** `check anon-direct-aba --kernel v6.7 --out <trace> --json`, run once: its trace and its --json result. */
  let tracePath: string;
  let resultPath: string;
  let result: any;
  before(async () => {
    ({ scratch, trace: tracePath, result: resultPath, json: result } = await s1Files('swaprace-arguments-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe('compare', () => {
    it('exits by each verdict itself where the scenario has no expectation: 1 for a violation, 3 for a bound, else 0', async () => {
      const [violation, bounded, verified] = await Promise.all([
        swaprace('compare', NO_EXPECT, '--kernels', 'v6.7,v6.8'),
        swaprace('compare', NO_EXPECT, '--kernels', 'v7.0', '--max-states', '1'),
        swaprace('compare', NO_EXPECT, '--kernels', 'v7.0'),
      ]);
      assert.equal(violation.code, 1, violation.stderr);
      assert.match(violation.stdout, /\nv6\.7 +violation +- +no-stale-install /);
      assert.match(violation.stdout, /\n0 of 2 verdicts as expected; 2 without an expectation, 1 of them a VIOLATION\n$/);
      assert.equal(bounded.code, 3, bounded.stderr);
      assert.equal(verified.code, 0, verified.stderr);
    });

    it('rejects --shard: a table of versions cannot be merged', async () => {
      const run = await swaprace('compare', 'anon-direct-aba', '--kernels', 'v6.7', '--shard', '1/2');
      assertCleanError(run, /^swaprace: --shard applies to check only: compare's results cannot be merged/);
    });
  });

  describe('check --out', () => {
    it('rejects a path that cannot take the trace before searching: empty, no directory, a directory, the input itself', async () => {
      const scenario = join(scratch, 'C.swaprace.json');
      copyFileSync('test/fixtures/cli/direct-aba.swaprace.json', scenario);
      const original = readFileSync(scenario, 'utf8');
      const trace = join(scratch, 'T.swaptrace.json');
      assert.equal((await swaprace('check', scenario, '--out', trace)).code, 1);
      const traceText = readFileSync(trace, 'utf8');
      const cases: [string[], RegExp][] = [
        [['replay', '--scenario', scenario, '--schedule', '0', '--out', scenario], /: cannot write the trace: it would overwrite the input /],
        [['export', trace, '--format', 'markdown', '--out', trace], /: cannot write the markdown export: it would overwrite the input /],
        [['check', 'anon-direct-aba', '--out='], /^swaprace: expected a file name for the trace, got ""\n$/],
        [['check', 'anon-direct-aba', '--out', join(scratch, 'missing', 't.json')], /: cannot write the trace: there is no directory .*missing\n$/],
        [['check', 'anon-direct-aba', '--out', scratch, '--json'], /: cannot write the trace: it is a directory\n$/],
        [['check', 'anon-direct-aba', '--out', join(scenario, 't.json')], /: cannot write the trace: .*C\.swaprace\.json is not a directory\n$/],
        [['check', scenario, '--out', scenario], /: cannot write the trace: it would overwrite the input .*C\.swaprace\.json\n$/],
        [['check', scenario, '--out', `${scratch}/./C.swaprace.json`], /: cannot write the trace: it would overwrite the input /],
      ];
      const runs = await Promise.all(cases.map(([args]) => swaprace(...args)));
      runs.forEach((run, i) => assertCleanError(run, cases[i][1]));
      assert.equal(readFileSync(scenario, 'utf8'), original);
      assert.equal(readFileSync(trace, 'utf8'), traceText);
    });

    it('rejects a directory it may not write in before searching', async () => {
      // Root may write anywhere: as root, the CLI runs as nobody.
      const shared = mkdtempSync(join(tmpdir(), 'swaprace-readonly-'));
      chmodSync(shared, 0o755);
      const readOnly = join(shared, 'ro');
      mkdirSync(readOnly, { mode: 0o555 });
      try {
        const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
        const run = spawnSync(process.execPath, ['-r', 'esbuild-register', 'src/cli/main.ts', 'check', 'anon-direct-aba', '--kernel', 'v6.7', '--out', join(readOnly, 't.json'), '--json'],
          { cwd: REPOSITORY, encoding: 'utf8', env: { ...process.env, HOME: shared }, ...asNobody });
        assertCleanError({ code: run.status, stdout: run.stdout, stderr: run.stderr }, /: cannot write the trace: permission denied\n$/);
      } finally {
        rmSync(shared, { recursive: true, force: true });
      }
    });

    it('prints the verdict first when the trace cannot be written after the search', async function () {
      // /dev/full: a file that passes every check beforehand, and refuses every write.
      if (!existsSync('/dev/full')) this.skip();
      const [asJson, text] = await Promise.all([
        swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--out', '/dev/full', '--json'),
        swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--out', '/dev/full'),
      ]);
      for (const run of [asJson, text]) {
        assert.equal(run.code, 2);
        assert.match(run.stderr, /^swaprace: \/dev\/full: cannot write the trace: .*\n$/);
      }
      assert.equal(json(asJson).verdict, 'violation');
      assert.match(text.stdout, /^anon-direct-aba on v6\.7: VIOLATION of no-stale-install\n/);
      assert.doesNotMatch(text.stdout, /trace written/);
    });
  });

  it('rejects a value-taking option given twice; a flag given twice means the same as once', async () => {
    const cases: [string[], RegExp][] = [
      [['check', 'anon-direct-aba', '--kernel', 'v6.8', '--kernel', 'v6.7'], /^swaprace: option --kernel is given more than once \(see swaprace check --help\)\n$/],
      [['check', 'anon-direct-aba', '--max-states', '5', '--max-states=100000'], /^swaprace: option --max-states is given more than once/],
      [['compare', 'anon-direct-aba', '--kernels', 'v6.7', '--kernels', 'v6.8'], /^swaprace: option --kernels is given more than once \(see swaprace compare --help\)\n$/],
      [['replay', '--scenario', 'anon-direct-aba', '--schedule', '0', '--schedule', '1'], /^swaprace: option --schedule is given more than once/],
    ];
    const [flagTwice, ...runs] = await Promise.all([swaprace('check', ...SMALL, '--json', '--json'), ...cases.map(([args]) => swaprace(...args))]);
    runs.forEach((run, i) => assertCleanError(run, cases[i][1]));
    assert.equal(flagTwice.code, 0, flagTwice.stderr);
    assert.equal(json(flagTwice).verdict, 'verified');
  });

  describe('options the strategy does not use', () => {
    it('rejects --shard with a strategy that would search everything in every shard', async () => {
      const unsharded = ['bfs', 'parallel', 'preempt', 'reference'];
      const [sharded, ...runs] = await Promise.all([
        swaprace('check', ...SMALL, '--strategy', 'dfs', '--shard', '1/2', '--json'),
        ...unsharded.map((strategy) => swaprace('check', ...SMALL, '--strategy', strategy, '--shard', '1/2')),
      ]);
      runs.forEach((run, i) => assertCleanError(run, new RegExp(`^swaprace: --shard works with the strategies portfolio, dfs, random, pct; ${unsharded[i]} would search everything in every shard\\n$`)));
      assert.equal(sharded.code, 0, sharded.stderr);
      assert.deepEqual(json(sharded).shard, { index: 0, count: 2 });
    });

    it('warns on stderr, never on stdout, of a --seed or --workers the strategy ignores', async () => {
      const [seed, workers, used] = await Promise.all([
        swaprace('check', ...SMALL, '--strategy', 'dfs', '--seed', '5', '--json'),
        swaprace('check', ...SMALL, '--workers', '3'),
        swaprace('check', ...SMALL, '--strategy', 'random', '--seed', '5', '--json'),
      ]);
      assert.equal(seed.code, 0);
      assert.equal(seed.stderr, 'swaprace: warning: --seed is ignored: the dfs strategy uses no randomness\n');
      assert.equal(json(seed).verdict, 'verified');
      assert.equal(workers.code, 0);
      assert.equal(workers.stderr, 'swaprace: warning: --workers is ignored: only the parallel strategy starts worker threads\n');
      assert.match(workers.stdout, /^zswap-exclusive-load on v6\.8: verified\n/);
      assert.equal(used.stderr, '');
    });

    it('warns of more workers than cores, which share them and are slower to start and stop', async function () {
      const cores = availableParallelism();
      if (cores >= 64) this.skip();
      const [over, fitting] = await Promise.all([
        swaprace('check', ...SMALL, '--strategy', 'parallel', '--workers', String(cores + 1)),
        swaprace('check', ...SMALL, '--strategy', 'parallel', '--workers', String(cores)),
      ]);
      assert.equal(over.code, 0, over.stderr);
      assert.equal(over.stderr, `swaprace: warning: --workers ${cores + 1} is more than the ${cores} cores here: the workers share them, and starting and stopping them takes longer\n`);
      assert.equal(fitting.stderr, '');
    });
  });

  it('--json names the strategy and seed that ran, defaults included', async () => {
    const [dfs, random] = await Promise.all([
      swaprace('check', ...SMALL, '--strategy', 'dfs', '--json'),
      swaprace('check', ...SMALL, '--strategy', 'random', '--seed', '7', '--json'),
    ]);
    assert.deepEqual([result.strategy, result.seed], ['portfolio', 1]);
    assert.deepEqual([json(dfs).strategy, json(dfs).seed], ['dfs', null], 'dfs draws on no seed');
    assert.deepEqual([json(random).strategy, json(random).seed], ['random', 7]);
  });

  describe('help and version', () => {
    it('--help or -h anywhere in a command\'s arguments prints its help', async () => {
      const [after, short, afterTerminator] = await Promise.all([
        swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--help'),
        swaprace('compare', 'anon-direct-aba', '-h'),
        swaprace('check', '--', '--help'),
      ]);
      assert.equal(after.code, 0, after.stderr);
      assert.match(after.stdout, /^usage: swaprace check <scenario-id\|file> \[options\]\n/);
      assert.equal(short.code, 0, short.stderr);
      assert.match(short.stdout, /^usage: swaprace compare /);
      // After `--` it is an argument: here the name of a scenario.
      assertCleanError(afterTerminator, /^swaprace: unknown scenario "--help"/);
    });

    it('help help prints the general usage', async () => {
      const run = await swaprace('help', 'help');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^usage: swaprace <command> \[arguments\]\n/);
    });

    it('--version prints package.json\'s version, inlined by the bundler', async () => {
      const run = await swaprace('--version');
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')).version}\n`);
    });

    it('--version with anything after it is a usage error', async () => {
      assertCleanError(await swaprace('--version', 'extra'), /^swaprace: swaprace --version takes no arguments\n$/);
    });
  });

  it('a negative number after an option is its value, and gets its range\'s message', async () => {
    const cases: [string[], RegExp][] = [
      [['--seed', '-1'], /^swaprace: --seed expects a whole number from 0 to 4,294,967,295, got "-1"\n$/],
      [['--max-states', '-5'], /^swaprace: --max-states expects a whole number from 1 to 1,000,000,000, got "-5"\n$/],
      [['--max-depth', '-3'], /^swaprace: --max-depth expects a whole number from 1 to /],
      [['--timeout', '-1'], /^swaprace: --timeout expects seconds from .*, got "-1"\n$/],
      [['--workers', '-1'], /^swaprace: --workers expects a whole number from 1 to 64, got "-1"\n$/],
      [['--max-memory', '-.5'], /^swaprace: --max-memory expects a whole number from 1 to 1,048,576, got "-\.5"\n$/],
    ];
    const runs = await Promise.all(cases.map(([args]) => swaprace('check', 'anon-direct-aba', ...args)));
    runs.forEach((run, i) => assertCleanError(run, cases[i][1]));
  });

  it('keeps the verdict\'s exit code when the reader has closed the pipe', async () => {
    const runs = await Promise.all([
      exitCodeIntoClosedPipe('replay', tracePath),
      exitCodeIntoClosedPipe('merge', resultPath, '--json'),
      exitCodeIntoClosedPipe('check', 'anon-direct-aba', '--kernel', 'v6.7'),
      exitCodeIntoClosedPipe('check', ...SMALL),
    ]);
    assert.deepEqual(runs.map((run) => run.code), [1, 1, 1, 0], runs.map((run) => run.stderr).join(''));
    for (const run of runs) assert.equal(run.stderr, '');
  });

  it('--max-memory stops a search whose stores outgrow it: exit 3, naming the memory bound', async () => {
    const [asJson, text, checkHelp, compareHelp] = await Promise.all([
      swaprace('check', MANY_STATES, '--max-memory', '1', '--json'),
      swaprace('compare', MANY_STATES, '--kernels', 'v6.8', '--max-memory', '1'),
      swaprace('check', '--help'),
      swaprace('compare', '--help'),
    ]);
    assert.equal(asJson.code, 3, asJson.stderr);
    const bounded = json(asJson);
    assert.equal(bounded.verdict, 'bounded');
    assert.equal(bounded.bound, 'memory');
    assert.equal(bounded.limits.maxMemoryMb, 1);
    assert.match(bounded.message, /^stopped at the memory limit /);
    assert.equal(text.code, 3, text.stderr);
    assert.match(text.stdout, /\nv6\.8 +bounded +- /);
    for (const help of [checkHelp, compareHelp]) assert.match(help.stdout, /\n {2}--max-memory MB +stop when the search's stores outgrow MB MiB \(1 to 1,048,576; default: the machine's memory\)\n/);
  });

  it('a memory bound without --max-memory is named as the machine\'s', () => {
    const limits = { maxStates: 10, maxDepth: 10, timeoutMs: 1000 };
    assert.match(verdictMessage({ verdict: 'bounded', bound: 'memory', limits }), /^stopped at the limit of the machine's memory before the search finished/);
    assert.match(verdictMessage({ verdict: 'bounded', bound: 'memory', limits: { ...limits, maxMemoryMb: 1 } }), /^stopped at the memory limit before/);
  });
});
