/**
 * `swaprace bench`: a thin pass-through to the repository's benchmark runner (`npm run bench`), which lives
 * beside the sources and is not part of the published CLI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../errors';

export const BENCH_HELP = `usage: swaprace bench [--quick] [--family ID] [--reps N]

Runs the benchmark runner of a swaprace checkout (npm run bench), passing the arguments through, and
prints one JSON document of measurements (progress on stderr). A full run takes several minutes of
every core. Its exit code is the runner's: 2 for an argument it does not take, before measuring.

  --quick           only the two smallest cases of each family
  --family ID       only one family: faulters, reclaim-cycles, slots or mixed
  --reps N          timed runs per measurement, 1 to 20, of which the fastest is kept (default 2)`;

export function benchCommand(args: readonly string[]): number {
  const root = checkoutRoot(__dirname);
  if (!root) throw new CliError('swaprace bench needs a swaprace checkout with a "bench" script in package.json; this installation has none');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Required here, not at the top: loading child_process costs every other command a few milliseconds.
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const run = spawnSync(npm, ['run', '--silent', 'bench', '--', ...args], { cwd: root, stdio: 'inherit' });
  if (run.error) throw new CliError(`cannot run npm run bench: ${run.error.message}`);
  return run.status ?? 2;
}

/**
 * The nearest directory above `start` whose package.json is swaprace's and has a bench script, with the
 * runner beside it: an installed package keeps the script in its package.json but not bench/.
 */
function checkoutRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; scripts?: Record<string, unknown> };
      if (pkg.name === 'swaprace') return typeof pkg.scripts?.bench === 'string' && existsSync(join(dir, 'bench')) ? dir : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
