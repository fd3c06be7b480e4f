// Writes the CLI's V8 code cache (cli-main.cache, read by src/cli/launch.ts) beside a built cli.js, with
// this node: one check runs with SWAPRACE_WRITE_CODE_CACHE naming the cache file, so the cache holds
// what a check compiles. Shared by esbuild.mjs (dist/) and the bench (its own bundle), which must time
// the CLI as it ships.
const { spawnSync } = require('child_process');
const { existsSync, realpathSync, rmSync } = require('fs');
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
  // 0 verified, 1 violation: either way the check ran; anything else is a broken CLI.
  if (run.status !== 0 && run.status !== 1) throw new Error(`the code-cache run of ${dir}/cli.js failed (${run.status ?? run.signal}): ${run.stderr}`);
  if (!existsSync(cache)) throw new Error(`the code-cache run of ${dir}/cli.js wrote no cache: ${run.stderr}`);
};
