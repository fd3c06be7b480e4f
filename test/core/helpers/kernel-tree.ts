/**
 * Reads a kernel-tree fixture (test/fixtures/kernel-trees/NAME) as the core takes a tree: the modelled source
 * files it has, by path relative to the tree. Shared by the core tests and, bundled into them, the integration
 * tests: the caller gives the directory, since `__dirname` differs once bundled.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { KERNEL_SOURCE_FILES, type KernelFiles } from '../../../src/core/source';

export function readKernelTree(dir: string): KernelFiles {
  const files: Record<string, string> = {};
  for (const rel of KERNEL_SOURCE_FILES) {
    const path = join(dir, rel);
    if (existsSync(path)) files[rel] = readFileSync(path, 'utf8');
  }
  return files;
}
