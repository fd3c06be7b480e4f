/**
 * The `swaprace` command (dist/cli.js): runs the CLI's bundle, cli-main.js beside it, through V8's code
 * cache (cli-main.cache), so that a cold process does not compile the same functions again on every
 * run: about a tenth of a one-check process here. The build writes the cache with the node that built
 * it (`SWAPRACE_WRITE_CODE_CACHE=1`, after one check, so that it holds the functions a check compiles).
 * Under another node, other V8 flags, or with a damaged or missing file, V8 rejects the cache and the
 * bundle is compiled as usual: the cache only ever saves time. `SWAPRACE_DEBUG` reports what happened.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(__dirname, 'cli-main.js');
const cacheFile = join(__dirname, 'cli-main.cache');

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
if (process.env.SWAPRACE_DEBUG) {
  process.stderr.write(`swaprace: code cache ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : 'absent'}\n`);
}
if (process.env.SWAPRACE_WRITE_CODE_CACHE) {
  // At exit the cache also holds every function the run compiled, not only the top level. A cache that
  // cannot be written (a read-only install) leaves the command's result and exit code as they are.
  process.on('exit', () => {
    try {
      writeFileSync(cacheFile, Uint8Array.from(script.createCachedData()));
    } catch (error) {
      process.stderr.write(`swaprace: code cache not written: ${(error as Error).message}\n`);
    }
  });
}
const main = new Module(bundle);
main.filename = bundle;
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
run.call(main.exports, main.exports, createRequire(bundle), main, bundle, __dirname);
