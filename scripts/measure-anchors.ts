/**
 * Runs the source locator over a kernel tree and prints, as JSON, which modelled functions and step
 * anchors it found (as `file:line`, 1-based like an editor) and why the others are missing.
 *
 *   node -r esbuild-register scripts/measure-anchors.ts <kernel-tree> [--kernel <id>]
 *
 * Only the files the locator reads are loaded (KERNEL_SOURCE_FILES); absent ones degrade to reasons.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { KERNEL_SOURCE_FILES, isFound, locateTree, type KernelFiles, type Located } from '../src/core/source';

function usage(): never {
  console.error('usage: measure-anchors <kernel-tree> [--kernel <id>]');
  process.exit(2);
}

function summarise(located: Record<string, Located>) {
  const entries = Object.entries(located);
  const found = entries.filter(([, l]) => isFound(l));
  return {
    found: found.length,
    total: entries.length,
    at: Object.fromEntries(found.map(([key, l]) => [key, isFound(l) ? `${l.file}:${l.line + 1} ${l.pattern} in ${l.function}` : ''])),
    missing: Object.fromEntries(entries.flatMap(([key, l]) => ('missing' in l ? [[key, l.missing]] : []))),
  };
}

const args = process.argv.slice(2);
const tree = args[0];
if (!tree || tree.startsWith('--')) usage();
const kernelFlag = args.indexOf('--kernel');
const kernelId = kernelFlag >= 0 ? args[kernelFlag + 1] ?? usage() : undefined;

const files: Record<string, string> = {};
for (const rel of KERNEL_SOURCE_FILES) {
  const path = join(tree, rel);
  if (existsSync(path)) files[rel] = readFileSync(path, 'utf8');
}
const result = locateTree(files as KernelFiles, kernelId);
console.log(
  JSON.stringify(
    {
      tree,
      filesRead: Object.keys(files),
      release: result.release?.text,
      kernel: result.kernel,
      functions: summarise(result.functions),
      anchors: summarise(result.anchors),
    },
    null,
    2,
  ),
);
