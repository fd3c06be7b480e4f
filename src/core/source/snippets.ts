/**
 * Our own condensed, annotated renderings of the modelled kernel functions, per kernel version, for the
 * editor's read-only snippet documents. The text is data under `snippets/`; here the version is
 * resolved and the anchors (step id or point -> line) are read off the `step:` / `point:` comments,
 * so a line number is never written down twice.
 *
 * Lines are 0-based, as in VS Code's `Position` and in `locate.ts`.
 */
import { findKernel, type KernelVersion } from '../kernels/versions';
import { SNIPPET_SOURCES } from './snippets/index';
import type { SnippetSource, SnippetVariant } from './snippets/types';
import { kernelLineage, modelSteps } from './steps';

export interface Snippet {
  fn: string;
  /** The kernel version asked for. */
  kernel: string;
  /** The version whose rendering this is: the nearest one at or before `kernel` on its base chain. */
  renderedFrom: string;
  /** Where the real function lives, relative to a kernel tree. */
  file: string;
  title: string;
  text: string;
  /** 0-based line in `text` of every step id marked in it and of every point (named, or of a marked step). */
  anchors: ReadonlyMap<string, number>;
}

const STEP_MARK = /\bstep: ([\w.]+)/g;
const POINT_MARK = /\bpoint: (\w+)/g;

const sourcesByFn = new Map(SNIPPET_SOURCES.map((s) => [s.fn, s]));
const cache = new Map<string, Snippet | undefined>();

/** The functions that have a snippet in at least one version. */
export function snippetFunctions(): string[] {
  return [...sourcesByFn.keys()];
}

/** The snippet of `fn` for a kernel version id, or undefined when the function does not exist there. */
export function snippetFor(fn: string, kernelId: string): Snippet | undefined {
  const key = `${fn}@${kernelId}`;
  if (!cache.has(key)) cache.set(key, buildSnippet(fn, kernelId));
  return cache.get(key);
}

/** Every snippet of a kernel version, in the order of SNIPPET_SOURCES. */
export function snippetsFor(kernelId: string): Snippet[] {
  return snippetFunctions().flatMap((fn) => snippetFor(fn, kernelId) ?? []);
}

/** The 0-based line a step id (or a point) is rendered at, if the snippet has it. */
export function anchorLine(snippet: Snippet, stepIdOrPoint: string): number | undefined {
  return snippet.anchors.get(stepIdOrPoint);
}

function buildSnippet(fn: string, kernelId: string): Snippet | undefined {
  const source = sourcesByFn.get(fn);
  const kernel = findKernel(kernelId);
  if (!source || !kernel) return undefined;
  const variant = variantFor(source, kernelId);
  if (!variant) return undefined;
  const text = [...header(source, variant, kernel), variant.body.replace(/^\n/, '')].join('\n');
  return {
    fn,
    kernel: kernel.id,
    renderedFrom: variant.since,
    file: source.file,
    title: `${fn} (${kernel.id}${variant.since === kernel.id ? '' : `, rendering since ${variant.since}`})`,
    text,
    anchors: readAnchors(text, fn, kernel),
  };
}

function variantFor(source: SnippetSource, kernelId: string): SnippetVariant | undefined {
  for (const id of kernelLineage(kernelId)) {
    const variant = source.variants.find((v) => v.since === id);
    if (variant) return variant;
  }
  return undefined;
}

function header(source: SnippetSource, variant: SnippetVariant, kernel: KernelVersion): string[] {
  const since = variant.since === kernel.id ? '' : ` (unchanged here since ${variant.since})`;
  return [
    '/*',
    ` * ${source.fn}() -- ${source.file}, kernel ${kernel.id}${since}`,
    ' *',
    ' * A condensed rendering written for swaprace from the step lists of its kernel reference',
    ` * (${source.reference}). It is NOT kernel source: names and arguments are simplified, and only the`,
    ' * lines the model needs are kept. "step:" marks a line a model step stands for, "point:" a named',
    ' * point; [brackets] name the lock held there.',
    ' *',
    ` * ${variant.commits.length > 1 ? 'Commits' : 'Commit'} behind this rendering:`,
    ...variant.commits.map((c) => ` *   ${c}`),
    ' */',
  ];
}

function readAnchors(text: string, fn: string, kernel: KernelVersion): Map<string, number> {
  const anchors = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    for (const [, id] of line.matchAll(STEP_MARK)) if (!anchors.has(id)) anchors.set(id, index);
    for (const [, point] of line.matchAll(POINT_MARK)) if (!anchors.has(point)) anchors.set(point, index);
  });
  // A marked step also anchors its point, so the editor can ask by either.
  for (const step of modelSteps(kernel)) {
    const line = anchors.get(step.id);
    if (step.fn === fn && line !== undefined && !anchors.has(step.point)) anchors.set(step.point, line);
  }
  return anchors;
}
