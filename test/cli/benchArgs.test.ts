/**
 * `swaprace bench` arguments: the benchmark takes --quick, --family and --reps, and refuses anything else with
 * one clear error before it measures anything. Only the error paths run here: a real benchmark takes minutes
 * of every core.
 */
import assert from 'node:assert/strict';
import { FAMILIES } from '../../bench/families';
import { parseBenchArgs } from '../../bench/args';
import { assertCleanError, swaprace } from './helpers';

/** An error path stops before the runner bundles anything: a second or two, where a benchmark takes minutes. */
const ERROR_WITHIN_MS = 10_000;

describe('swaprace bench arguments', function () {
  this.timeout(120_000);

  it('reads the flags the benchmark takes', () => {
    assert.deepEqual(parseBenchArgs([]), { quick: false, family: undefined, reps: 2 });
    assert.deepEqual(parseBenchArgs(['--quick', '--family', 'slots', '--reps', '3']), { quick: true, family: 'slots', reps: 3 });
    assert.deepEqual(parseBenchArgs(['--family=mixed', '--reps=1']), { quick: false, family: 'mixed', reps: 1 });
  });

  it('refuses anything else with the reason', () => {
    const flags = '(flags: --quick, --family ID, --reps N; see swaprace bench --help)';
    const cases: [string[], string][] = [
      [['--quik'], `unknown benchmark flag --quik ${flags}`],
      [['quick'], `unexpected benchmark argument "quick" ${flags}`],
      [['--family'], `benchmark flag --family needs a value ${flags}`],
      [['--family', '--quick'], `benchmark flag --family needs a value ${flags}`],
      [['--quick=yes'], `benchmark flag --quick takes no value ${flags}`],
      [['--family', 'slots', '--family', 'mixed'], `benchmark flag --family is given more than once ${flags}`],
      [['--family', 'nope'], 'unknown benchmark family "nope" (known: faulters, reclaim-cycles, slots, mixed)'],
      [['--reps', 'abc'], '--reps expects a whole number from 1 to 20, got "abc"'],
      [['--reps', '0'], '--reps expects a whole number from 1 to 20, got "0"'],
      [['--reps', '1e3'], '--reps expects a whole number from 1 to 20, got "1e3"'],
      [['--reps', '21'], '--reps expects a whole number from 1 to 20, got "21"'],
    ];
    for (const [args, expected] of cases) assert.equal(parseBenchArgs(args), expected, args.join(' '));
  });

  it('stops with exit 2 and one line before measuring anything', async () => {
    const cases: [string[], RegExp][] = [
      [['--quik'], /^swaprace: unknown benchmark flag --quik \(flags: [^\n]*\)\n$/],
      [['--family', 'nope'], /^swaprace: unknown benchmark family "nope" \(known: [^\n]*\)\n$/],
      [['--reps', 'abc'], /^swaprace: --reps expects a whole number from 1 to 20, got "abc"\n$/],
    ];
    for (const [args, expected] of cases) {
      const started = Date.now();
      const run = await swaprace('bench', ...args);
      assertCleanError(run, expected);
      assert.ok(Date.now() - started < ERROR_WITHIN_MS, `${args.join(' ')}: ${Date.now() - started} ms`);
    }
  });

  it('--help describes the benchmark\'s flags and names every family', async () => {
    const run = await swaprace('bench', '--help');
    assert.equal(run.code, 0, run.stderr);
    for (const flag of ['--quick', '--family ID', '--reps N']) assert.match(run.stdout, new RegExp(`\\n  ${flag} +\\S`), flag);
    assert.ok(run.stdout.includes(`only one family: ${FAMILIES.slice(0, -1).map((f) => f.id).join(', ')} or ${FAMILIES.at(-1)!.id}\n`), run.stdout);
  });
});
