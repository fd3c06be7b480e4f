/**
 * The script of a worker thread: in a bundle, the worker's own bundle beside it (esbuild.mjs builds each);
 * when running from TypeScript sources (tests, tools under esbuild-register), the worker's entry bundled
 * once per process with esbuild, a dev dependency loaded through createRequire so that bundling the core
 * does not pull it in.
 */
import { mkdtempSync } from 'fs';
import { createRequire } from 'module';
import { tmpdir } from 'os';
import { basename, join } from 'path';

const bundledFromSources = new Map<string, string>();

/** `bundle`: the worker's file name in dist/; `sourceEntry`: the absolute path of its TypeScript entry. */
export function workerScript(bundle: string, sourceEntry: string): string {
  if (!__filename.endsWith('.ts')) return join(__dirname, bundle);
  let outfile = bundledFromSources.get(sourceEntry);
  if (outfile === undefined) {
    const esbuild = createRequire(__filename)('esbuild') as { buildSync(options: object): unknown };
    outfile = join(mkdtempSync(join(tmpdir(), `swaprace-${basename(bundle, '.js')}-`)), bundle);
    // As esbuild.mjs builds: jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow.
    esbuild.buildSync({ entryPoints: [sourceEntry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'silent' });
    bundledFromSources.set(sourceEntry, outfile);
  }
  return outfile;
}
