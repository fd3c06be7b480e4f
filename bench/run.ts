/**
 * `npm run bench`: bundles the measuring code with esbuild the way dist/cli.js and the extension's
 * worker are bundled (the product never runs from esbuild-register, whose per-access import getters
 * would dominate the timings), then runs it. The parallel strategy finds its worker, worker-search.js,
 * beside the bundle. One JSON document goes to stdout, progress to stderr.
 *
 * Flags: --quick (the two smallest cases of each family), --family <id>, --reps <n> (timed runs per
 * measurement, the fastest is kept; default 2).
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { benchArgsOrExit } from './args';

const args = process.argv.slice(2);
benchArgsOrExit(args);
const root = join(__dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'swaprace-bench-'));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));
buildSync({
  entryPoints: {
    measure: join(root, 'bench/measure.ts'),
    // The CLI as dist/ has it (launcher, bundle, code cache), for the cold-process timing.
    cli: join(root, 'src/cli/launch.ts'),
    'cli-main': join(root, 'src/cli/main.ts'),
    'worker-search': join(root, 'src/core/search/parallelWorker.ts'),
  },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeCodeCache } = require('../scripts/code-cache.cjs') as { writeCodeCache(dir: string): void };
writeCodeCache(out);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require(join(out, 'measure.js')) as typeof import('./measure');
main(args, out);
