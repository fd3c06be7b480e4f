/**
 * The real kernel trees the editor maps steps into: the `swaprace.kernelSourcePath` checkout and any workspace
 * folder with `mm/memory.c`. A tree's files are read once (from an open editor when there is one, so unsaved
 * edits count) and its anchors located once per kernel version, until the setting changes, or one of the files
 * it read changes on disk (an edit, a `git checkout`) or in an editor.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { defaultKernelFor, KERNEL_SOURCE_FILES, kernelVersionFromMakefile, locateTree, type KernelFiles, type TreeAnchors } from '../core/source';
import { fileExists, openDocument } from './files';
import { kernelSourcePathSetting } from './settings';

/** A file of a kernel tree: the tree's root and the file's path under it (`mm/memory.c`). */
export interface TreeFile {
  root: vscode.Uri;
  relative: string;
}

const isTreeCache = new Map<string, Promise<boolean>>();
const filesCache = new Map<string, Promise<KernelFiles>>();
const anchorsCache = new Map<string, Promise<TreeAnchors>>();
/** The file watchers of each tree read so far, by its root. */
const treeWatchers = new Map<string, { root: vscode.Uri; watchers: vscode.FileSystemWatcher[] }>();
const treeChanges = new vscode.EventEmitter<vscode.Uri>();

/** Fires with a tree's root when a file it was read from changed, and its cached reading was dropped. */
export const onDidChangeKernelTree = treeChanges.event;

/**
 * Keeps the readings current while the extension runs: a tree's is dropped when one of its files is edited or
 * closed in an editor (the editor's text stands in for the disk copy); the trees' file watchers, made as each
 * tree is first read, are disposed with it.
 */
export function watchKernelTrees(): vscode.Disposable {
  return vscode.Disposable.from(
    treeChanges,
    vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length > 0 && forgetTreeOf(event.document.uri)),
    vscode.workspace.onDidCloseTextDocument((document) => forgetTreeOf(document.uri)),
    { dispose: clearKernelTreeCache },
  );
}

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
  for (const { watchers } of treeWatchers.values()) for (const watcher of watchers) watcher.dispose();
  treeWatchers.clear();
}

function forgetTree(root: vscode.Uri): void {
  const key = root.toString();
  isTreeCache.delete(key);
  filesCache.delete(key);
  for (const anchorsKey of anchorsCache.keys()) if (anchorsKey.startsWith(`${key}\0`)) anchorsCache.delete(anchorsKey);
  treeChanges.fire(root);
}

/** Forgets the tree a document is one of the read files of, if any. */
function forgetTreeOf(uri: vscode.Uri): void {
  if (uri.scheme !== 'file') return;
  for (const { root } of treeWatchers.values()) {
    const relative = path.relative(root.fsPath, uri.fsPath).split(path.sep).join('/');
    if (KERNEL_SOURCE_FILES.includes(relative)) forgetTree(root);
  }
}

/**
 * Watches the files of a tree that are read, one watcher per directory: a pattern without a `/` keeps each
 * watch to its own directory, where a recursive one would cover the whole checkout.
 */
function watchTree(root: vscode.Uri): void {
  const key = root.toString();
  if (treeWatchers.has(key)) return;
  const byDirectory = new Map<string, string[]>();
  for (const relative of KERNEL_SOURCE_FILES) {
    const directory = path.posix.dirname(relative);
    byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), path.posix.basename(relative)]);
  }
  const watchers = [...byDirectory].map(([directory, names]) => {
    const base = directory === '.' ? root : vscode.Uri.joinPath(root, ...directory.split('/'));
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, `{${names.join(',')}}`));
    const forget = () => forgetTree(root);
    watcher.onDidCreate(forget);
    watcher.onDidChange(forget);
    watcher.onDidDelete(forget);
    return watcher;
  });
  treeWatchers.set(key, { root, watchers });
}

function treeFiles(root: vscode.Uri): Promise<KernelFiles> {
  return cached(filesCache, root.toString(), async () => {
    watchTree(root);
    const files: Record<string, string> = {};
    await Promise.all(
      KERNEL_SOURCE_FILES.map(async (relative) => {
        const uri = vscode.Uri.joinPath(root, ...relative.split('/'));
        const open = openDocument(uri);
        try {
          files[relative] = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
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
