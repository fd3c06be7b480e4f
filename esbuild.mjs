// Bundles the extension host, the search worker, the CLI and the webview (and, with --tests, the
// integration tests), then runs one CLI check to write the CLI's code cache (scripts/code-cache.cjs).
// Flags: --watch rebuilds on change (no cache: the launcher ignores one made for another build);
// --production minifies and drops source maps.
import * as esbuild from 'esbuild';
import { readdirSync } from 'fs';
import { writeCodeCache } from './scripts/code-cache.cjs';

const flags = new Set(process.argv.slice(2));
const production = flags.has('--production');
const watch = flags.has('--watch');
const withTests = flags.has('--tests');

const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'info' };
// `module` first: some dependencies (jsonc-parser) ship a UMD `main` whose dynamic requires esbuild cannot follow.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/core/jobs/jobWorker.ts'], outfile: 'dist/worker.js' },
  // The parallel strategy's workers: found beside whichever bundle (extension worker or CLI) runs the search.
  { ...node, entryPoints: ['src/core/search/parallelWorker.ts'], outfile: 'dist/worker-search.js' },
  // The `swaprace` bin is a small launcher that runs the CLI's bundle through V8's code cache (launch.ts).
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' },
  { ...node, entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
];
if (withTests) {
  const dir = 'test/integration';
  builds.push({
    ...node,
    entryPoints: readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`),
    outdir: 'dist/test/integration',
    // Resolved at run time from the repository: the extension host provides `vscode`, node_modules has mocha.
    external: ['vscode', 'mocha', '@vscode/test-electron'],
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  writeCodeCache('dist');
}
