/**
 * The real kernel trees the editor maps steps into: the `swaprace.kernelSourcePath` checkout and any workspace
 * folder with `mm/memory.c`. A tree's files are read once and its anchors located once per kernel version,
 * until the setting changes.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { defaultKernelFor, KERNEL_SOURCE_FILES, kernelVersionFromMakefile, locateTree, type KernelFiles, type TreeAnchors } from '../core/source';
import { fileExists } from './files';
import { kernelSourcePathSetting } from './settings';

/** A file of a kernel tree: the tree's root and the file's path under it (`mm/memory.c`). */
export interface TreeFile {
  root: vscode.Uri;
  relative: string;
}

const isTreeCache = new Map<string, Promise<boolean>>();
const filesCache = new Map<string, Promise<KernelFiles>>();
const anchorsCache = new Map<string, Promise<TreeAnchors>>();

/** The kernel trees at hand, the setting's first. */
export async function kernelTrees(): Promise<vscode.Uri[]> {
  const setting = kernelSourcePathSetting();
  const candidates = [...(setting ? [vscode.Uri.file(setting)] : []), ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri)];
  const trees: vscode.Uri[] = [];
  for (const root of candidates) {
    if (await cached(isTreeCache, root.toString(), () => fileExists(vscode.Uri.joinPath(root, 'mm', 'memory.c')))) trees.push(root);
  }
  return trees;
}

/** The kernel tree a document lies in, if any. */
export async function treeFileOf(uri: vscode.Uri): Promise<TreeFile | undefined> {
  if (uri.scheme !== 'file') return undefined;
  for (const root of await kernelTrees()) {
    const relative = path.relative(root.fsPath, uri.fsPath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return { root, relative: relative.split(path.sep).join('/') };
  }
  return undefined;
}

/** The modelled version a tree runs, by its Makefile; undefined without a readable one. */
export async function treeKernel(root: vscode.Uri): Promise<string | undefined> {
  const makefile = (await treeFiles(root)).Makefile;
  const release = makefile === undefined ? undefined : kernelVersionFromMakefile(makefile);
  return release && defaultKernelFor(release);
}

/** The functions and step anchors of a tree, located for a kernel version. */
export function treeAnchors(root: vscode.Uri, kernel: string): Promise<TreeAnchors> {
  return cached(anchorsCache, `${root.toString()}\0${kernel}`, async () => locateTree(await treeFiles(root), kernel));
}

/** Forgets everything read, so a changed setting or checkout is read afresh. */
export function clearKernelTreeCache(): void {
  isTreeCache.clear();
  filesCache.clear();
  anchorsCache.clear();
}

function treeFiles(root: vscode.Uri): Promise<KernelFiles> {
  return cached(filesCache, root.toString(), async () => {
    const files: Record<string, string> = {};
    await Promise.all(
      KERNEL_SOURCE_FILES.map(async (relative) => {
        try {
          files[relative] = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, ...relative.split('/'))));
        } catch {
          // A tree without this file simply has no anchors in it.
        }
      }),
    );
    return files;
  });
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}
