/**
 * The `swaprace` command (dist/cli.js): runs the CLI's bundle, cli-main.js beside it, through V8's code
 * cache (cli-main.cache), so that a cold process does not compile the same functions again on every
 * run: about a tenth of a one-check process here. The build writes the cache with the node that built
 * it, after one check, so that it holds the functions a check compiles (scripts/code-cache.cjs).
 *
 * The cache is used only for the bundle it was made from: its header holds that file's size and
 * modification time (V8 itself checks only the source's length, its own version and its flags), so a
 * rebuilt bundle (`npm run watch`) or an edited one is compiled as usual, as under another node. It is
 * written to a temporary file and renamed, so it is never seen half written. A copy that does not keep
 * modification times (the VS Code package, `npm pack`) does not use it, so the package leaves it out;
 * a content hash would cost about as much as the cache saves (loading node's crypto alone: 5-6 ms).
 * `SWAPRACE_DEBUG` reports whether it was used.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(__dirname, 'cli-main.js');
const cacheFile = join(__dirname, 'cli-main.cache');
/** The bundle's size and modification time (milliseconds), as two float64s before V8's data. */
const HEADER_BYTES = 16;

/**
 * The bundle's text and stamp, both from one open file. A stamp is given only when the file did not
 * change while it was read (a build writing it now): a cache is then neither used nor written.
 */
function readBundle(): { source: string; stamp: Float64Array | undefined } {
  let fd: number | undefined;
  try {
    fd = openSync(bundle, 'r');
    const before = fstatSync(fd);
    const text = readFileSync(fd);
    const after = fstatSync(fd);
    const steady = text.length === before.size && after.size === before.size && after.mtimeMs === before.mtimeMs;
    return { source: text.toString('utf8'), stamp: steady ? Float64Array.of(before.size, before.mtimeMs) : undefined };
  } catch (error) {
    process.stderr.write(`swaprace: cannot read ${bundle}: ${(error as Error).message}\n`);
    return process.exit(2);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** V8's data from the cache file, when its header names this bundle as it is now. */
function cachedDataFor(stamp: Float64Array | undefined): Buffer | undefined {
  if (!stamp) return undefined;
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (file.length <= HEADER_BYTES) return undefined;
  const header = new Float64Array(file.buffer.slice(file.byteOffset, file.byteOffset + HEADER_BYTES));
  return header[0] === stamp[0] && header[1] === stamp[1] ? file.subarray(HEADER_BYTES) : undefined;
}

function writeCache(script: Script, stamp: Float64Array): void {
  const data = script.createCachedData();
  const file = new Uint8Array(HEADER_BYTES + data.length);
  file.set(new Uint8Array(stamp.buffer), 0);
  file.set(data, HEADER_BYTES);
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, file);
    renameSync(temporary, cacheFile);
  } catch (error) {
    // A cache that cannot be written (a read-only install) leaves the command's result and exit code alone.
    rmSync(temporary, { force: true });
    process.stderr.write(`swaprace: code cache not written: ${(error as Error).message}\n`);
  }
}

const { source, stamp } = readBundle();
const cachedData = cachedDataFor(stamp);
const script = new Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
if (process.env.SWAPRACE_DEBUG) {
  process.stderr.write(`swaprace: code cache ${cachedData ? (script.cachedDataRejected ? 'rejected by V8' : 'used') : 'not used'}\n`);
}
// Only the build asks, naming this very file: a stray setting elsewhere writes nothing. At exit the cache
// also holds every function the run compiled, not only the top level.
if (stamp && process.env.SWAPRACE_WRITE_CODE_CACHE === cacheFile) process.on('exit', () => writeCache(script, stamp));
const main = new Module(bundle);
main.filename = bundle;
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
run.call(main.exports, main.exports, createRequire(bundle), main, bundle, __dirname);
