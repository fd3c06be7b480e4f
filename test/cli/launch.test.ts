/**
 * The `swaprace` launcher (src/cli/launch.ts), bundled as the build bundles it, in front of a stand-in
 * for the CLI's bundle: it runs the bundle as a module of its own directory, passes arguments, output and
 * exit code through, and uses V8's code cache when it can and only then.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** Prints what a bundle sees of its module and arguments, then exits as the CLI would. */
const STAND_IN = `
const { basename } = require('path');
console.log(JSON.stringify({ file: basename(__filename), dir: __dirname, args: process.argv.slice(2), exportsIsModule: exports === module.exports }));
process.exitCode = Number(process.argv[2] ?? 0);
`;

describe('the swaprace launcher', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'swaprace-launch-'));
    buildSync({
      entryPoints: [resolve(__dirname, '../../src/cli/launch.ts')],
      outfile: join(dir, 'cli.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
    writeFileSync(join(dir, 'cli-main.js'), STAND_IN);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const launch = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [join(dir, 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, SWAPRACE_DEBUG: '1', ...env } });

  it('runs the bundle beside it with the arguments, and exits with its code', () => {
    const run = launch({}, '3', '--json');
    assert.equal(run.status, 3, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { file: 'cli-main.js', dir, args: ['3', '--json'], exportsIsModule: true });
  });

  it('writes the code cache when asked, uses it from then on, and falls back when it is damaged', () => {
    const cache = join(dir, 'cli-main.cache');
    rmSync(cache, { force: true });
    const absent = launch({ SWAPRACE_WRITE_CODE_CACHE: '1' }, '1');
    assert.match(absent.stderr, /code cache absent/);
    assert.ok(existsSync(cache), 'the cache is written at exit');
    const cached = launch({}, '1');
    assert.match(cached.stderr, /code cache accepted/);
    assert.equal(cached.status, 1);
    assert.equal(cached.stdout, absent.stdout);
    writeFileSync(cache, 'not a code cache');
    const damaged = launch({}, '1');
    assert.match(damaged.stderr, /code cache rejected/);
    assert.equal(damaged.status, 1);
    assert.equal(damaged.stdout, absent.stdout);
  });

  it('keeps the result and exit code when the cache cannot be written', () => {
    const cache = join(dir, 'cli-main.cache');
    rmSync(cache, { force: true });
    mkdirSync(cache);
    try {
      const run = launch({ SWAPRACE_WRITE_CODE_CACHE: '1' }, '1');
      assert.equal(run.status, 1);
      assert.equal(JSON.parse(run.stdout).file, 'cli-main.js');
      assert.match(run.stderr, /code cache not written/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
