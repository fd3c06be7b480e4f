/**
 * The `swaprace` launcher (src/cli/launch.ts), bundled as the build bundles it, in front of a stand-in
 * for the CLI's bundle: it runs the bundle as a module of its own directory, passes arguments, output and
 * exit code through, and uses V8's code cache only for the bundle the cache was made from.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** Prints what a bundle sees of its module and arguments, then exits with the code it is given. */
const STAND_IN = `
const { basename } = require('path');
console.log(JSON.stringify({ file: basename(__filename), dir: __dirname, args: process.argv.slice(2), exportsIsModule: exports === module.exports, version: 1 }));
process.exitCode = Number(process.argv[2] ?? 0);
`;

describe('the swaprace launcher', () => {
  let dir: string;
  let cache: string;

  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'swaprace-launch-')));
    cache = join(dir, 'cli-main.cache');
    buildSync({
      entryPoints: [resolve(__dirname, '../../src/cli/launch.ts')],
      outfile: join(dir, 'cli.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'warning',
    });
  });

  beforeEach(() => {
    writeFileSync(join(dir, 'cli-main.js'), STAND_IN);
    rmSync(cache, { recursive: true, force: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const launch = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [join(dir, 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, SWAPRACE_DEBUG: '1', ...env } });
  const writingCache = () => launch({ SWAPRACE_WRITE_CODE_CACHE: cache }, '1');

  it('runs the bundle beside it with the arguments, and exits with its code', () => {
    const run = launch({}, '3', '--json');
    assert.equal(run.status, 3, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { file: 'cli-main.js', dir, args: ['3', '--json'], exportsIsModule: true, version: 1 });
  });

  it('writes the code cache when the build names it, and uses it from then on', () => {
    const first = writingCache();
    assert.match(first.stderr, /code cache not used/);
    assert.ok(existsSync(cache), 'the cache is written at exit');
    const cached = launch({}, '1');
    assert.match(cached.stderr, /code cache used/);
    assert.equal(cached.status, 1);
    assert.equal(cached.stdout, first.stdout);
  });

  it('writes nothing when the variable names another file', () => {
    launch({ SWAPRACE_WRITE_CODE_CACHE: '1' }, '0');
    assert.ok(!existsSync(cache));
  });

  it('does not use the cache for a bundle rebuilt since, even one of the same length', () => {
    writingCache();
    const rebuilt = STAND_IN.replace('version: 1', 'version: 2');
    assert.equal(rebuilt.length, STAND_IN.length);
    // Written again a moment later, as a watch build would.
    const before = statSync(join(dir, 'cli-main.js')).mtimeMs;
    do writeFileSync(join(dir, 'cli-main.js'), rebuilt);
    while (statSync(join(dir, 'cli-main.js')).mtimeMs === before);
    const run = launch({}, '0');
    assert.match(run.stderr, /code cache not used/);
    assert.equal(JSON.parse(run.stdout).version, 2);
  });

  it('does not use the cache for a bundle of another size with the same modification time', () => {
    writingCache();
    const { atime, mtime } = statSync(join(dir, 'cli-main.js'));
    writeFileSync(join(dir, 'cli-main.js'), `${STAND_IN}// longer\n`);
    utimesSync(join(dir, 'cli-main.js'), atime, mtime);
    assert.match(launch({}, '0').stderr, /code cache not used/);
  });

  it('does not use a cache file too short to hold a header', () => {
    writingCache();
    writeFileSync(cache, new Uint8Array(readFileSync(cache).subarray(0, 16)));
    const run = launch({}, '1');
    assert.match(run.stderr, /code cache not used/);
    assert.equal(run.status, 1);
  });

  it('leaves a cache V8 rejects to V8, and runs the bundle all the same', () => {
    writingCache();
    const file = readFileSync(cache);
    // The header still names the bundle; V8's own data is damaged at its start.
    const garbage = new TextEncoder().encode('not V8 data at all');
    const damaged = new Uint8Array(16 + garbage.length);
    damaged.set(file.subarray(0, 16));
    damaged.set(garbage, 16);
    writeFileSync(cache, damaged);
    const run = launch({}, '1');
    assert.match(run.stderr, /code cache rejected by V8/);
    assert.equal(run.status, 1);
    assert.equal(JSON.parse(run.stdout).file, 'cli-main.js');
  });

  it('keeps the result and exit code when the cache cannot be written', () => {
    mkdirSync(cache);
    const run = writingCache();
    assert.equal(run.status, 1);
    assert.equal(JSON.parse(run.stdout).file, 'cli-main.js');
    assert.match(run.stderr, /code cache not written/);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
  });

  it('says which file is missing when the bundle is not there, with exit code 2', () => {
    renameSync(join(dir, 'cli-main.js'), join(dir, 'elsewhere.js'));
    const run = launch({}, '0');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^swaprace: cannot read .*cli-main\.js: /);
    assert.equal(run.stdout, '');
  });
});
