/**
 * What `npm pack` and `npm publish` put in the package: package.json's `files`, which `vsce package`
 * follows for the .vsix too (it refuses a .vscodeignore beside it). npm lists the files in a scratch
 * copy of the checkout's top level, with stand-ins for what a build writes into dist/ and a file in
 * every folder, so that no build is needed and the repository's own dist/ is left alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';

const REPOSITORY = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8'));
const inPackage = (path: string) => normalize(path).split('\\').join('/');

/** Every bundle esbuild.mjs writes: each is loaded at run time by the extension, the CLI or a worker. */
const BUNDLES = [...readFileSync(join(REPOSITORY, 'esbuild.mjs'), 'utf8').matchAll(/outfile: '(dist\/[^']+)'/g)].map((match) => match[1]);

/** The files the bin, `main` and `contributes` need, and the files they load. */
const NEEDED = new Set([
  ...BUNDLES,
  inPackage(manifest.main),
  ...Object.values(manifest.bin as Record<string, string>).map(inPackage),
  'dist/cli-main.js', // the launcher's bundle (src/cli/launch.ts)
  'dist/worker-search.js', // the parallel strategy's workers, beside the CLI's or the job worker's bundle
  'dist/worker.js', // the job worker of the extension and of the CLI at a terminal (src/core/jobs/jobWorker.ts)
  'dist/webview.js', // the timeline page (src/extension/webviewHtml.ts)
  'media/timeline.css',
  ...(manifest.contributes.jsonValidation as { url: string }[]).map((validation) => inPackage(validation.url)),
  'README.md',
]);

/** What a build leaves in dist/ beside the bundles, none of which a package needs. */
const BUILD_LEFTOVERS = [
  ...BUNDLES.map((bundle) => `${bundle}.map`),
  'dist/cli-main.cache', // stamped with the bundle's modification time, which neither package keeps (launch.ts)
  'dist/swaprace.vsix',
  'dist/test/integration/index.js',
];

const UNWANTED = /^(src|test|bench|scripts|demo|node_modules|\.ci[^/]*|\.vscode[^/]*)\/|\.(map|cache|vsix)$|^dist\/test\//;

describe('the npm package', () => {
  let scratch: string;
  let packed: string[];

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'swaprace-pack-'));
    const write = (path: string) => {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), '');
    };
    for (const entry of readdirSync(REPOSITORY, { withFileTypes: true })) {
      if (entry.isFile()) copyFileSync(join(REPOSITORY, entry.name), join(scratch, entry.name));
      else if (entry.isDirectory() && !['.git', 'dist'].includes(entry.name)) write(`${entry.name}/stand-in.ts`);
    }
    for (const path of [...NEEDED, ...BUILD_LEFTOVERS, 'node_modules/jsonc-parser/package.json']) if (!existsSync(join(scratch, path))) write(path);
    // --ignore-scripts: no prepack build; the list is the same.
    const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: scratch,
      encoding: 'utf8',
      shell: process.platform === 'win32',
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    assert.equal(run.status, 0, run.stderr);
    packed = (JSON.parse(run.stdout) as { files: { path: string }[] }[])[0].files.map((file) => file.path);
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('holds every file the bin, main and contributes load', () => {
    assert.ok(BUNDLES.length >= 6, `esbuild.mjs's bundles are found: ${BUNDLES}`);
    assert.deepEqual([...NEEDED].filter((path) => !packed.includes(path)), [], `packed: ${packed.join(', ')}`);
  });

  it('holds no sources, tests, node_modules, CI files, source maps or code cache, and no other dist/ file', () => {
    assert.deepEqual(packed.filter((path) => UNWANTED.test(path)), []);
    assert.deepEqual(packed.filter((path) => path.startsWith('dist/') && !NEEDED.has(path)), []);
  });

  it('is listed by `files` alone, which vsce refuses beside a .vscodeignore', () => {
    assert.ok(Array.isArray(manifest.files) && manifest.files.length > 0);
    assert.ok(!existsSync(join(REPOSITORY, '.vscodeignore')), 'no .vscodeignore: `vsce package` exits when it finds both');
    assert.equal(manifest.scripts.prepack, 'npm run vscode:prepublish', 'npm pack builds dist/ first, as vsce does');
  });
});
