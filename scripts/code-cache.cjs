// Writes the CLI's V8 code cache (cli-main.cache, read by src/cli/launch.ts) beside a built cli.js, with
// this node: one check runs with SWAPRACE_WRITE_CODE_CACHE naming the cache file, so the cache holds
// what a check compiles. Shared by esbuild.mjs (dist/) and the bench (its own bundle), which must time
// the CLI as it ships.
const { spawnSync } = require('child_process');
const { realpathSync, rmSync } = require('fs');
const { join } = require('path');

exports.writeCodeCache = function writeCodeCache(dir) {
  // The launcher compares this with its own __dirname, which node gives with symlinks resolved.
  const cache = join(realpathSync(dir), 'cli-main.cache');
  rmSync(cache, { force: true });
  const run = spawnSync(process.execPath, [join(dir, 'cli.js'), 'check', 'anon-direct-aba', '--kernel', 'v6.7'], {
    // V8 rejects a cache made under other flags: the build's NODE_OPTIONS are not the users'.
    env: { ...process.env, NODE_OPTIONS: '', SWAPRACE_WRITE_CODE_CACHE: cache },
    encoding: 'utf8',
  });
  // 0 verified, 1 violation, with the check's report: anything else is a broken CLI (node also exits
  // with 1 on an uncaught error).
  if ((run.status !== 0 && run.status !== 1) || !run.stdout.startsWith('anon-direct-aba on v6.7: ')) {
    throw new Error(`the code-cache run of ${dir}/cli.js failed (${run.status ?? run.signal}): ${run.stderr}`);
  }
  // The launcher must now use the cache for the bundle as it is (another build may have raced this one).
  const probe = spawnSync(process.execPath, [join(dir, 'cli.js'), 'list'], { env: { ...process.env, NODE_OPTIONS: '', SWAPRACE_DEBUG: '1' }, encoding: 'utf8' });
  if (!probe.stderr.includes('code cache used')) throw new Error(`the code cache of ${dir}/cli.js is not used: ${probe.stderr}`);
};
