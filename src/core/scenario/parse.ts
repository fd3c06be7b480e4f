/**
 * Parser for `*.swaprace.json` scenario files: JSON with comments and trailing commas, checked against the
 * rules of the file format and completed with defaults. Every problem carries the file, a 1-based line and
 * column (in UTF-16 code units, as editors count) and the JSON path of the offending field. The parser never
 * throws: whatever the input, the caller gets a scenario or a list of errors.
 *
 * The JSON Schema (`schema/swaprace.schema.json`) only describes the format to editors: this parser checks every
 * rule, also those no schema could express:
 * - page names are unique, thread names are unique; operations name declared pages;
 * - a fork forks an anon page into an anon page whose initial is `none` (the fork creates it), other than
 *   the forked page, and no two forks create the same page; in the forking thread only operations after
 *   the fork read, write, zap or fork the page it creates (other threads' operations wait for the fork),
 *   and those waits do not go round in a circle;
 * - MADV_DONTNEED (`dontneed`) takes an anon page;
 * - a swapped page's `slot` is below `device.slots` and held by no other swapped page; without one it takes
 *   the lowest slot that no page names explicitly and no earlier page took by default;
 * - `slot`, `cached: true` and `sharedWith` apply only to swapped pages;
 * - a second PTE on one swap entry comes only from `sharedWith`: a swapped anon page names its fork child,
 *   another anon page whose initial is `none` (the model copies the parent's PTE into it, so the slot's
 *   count is 2); no two pages name the same child, and no fork creates it;
 * - the keys of `expect` are known kernels.
 */

import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { syntaxErrorMessage, syntaxErrorPath } from '../jsonSyntax';
import { describeValue, quote } from '../describeJsonValue';
import { offsetBeyondNesting } from '../jsonNesting';
import { LineIndex } from '../lineIndex';
import {
  PROPERTY_IDS,
  runsInPageProcess,
  type AllocatorKind,
  type BoundsSpec,
  type DeviceSpec,
  type Expectation,
  type Operation,
  type OperationKind,
  type PageInitial,
  type PageKind,
  type PageSpec,
  type ParseResult,
  type PropertyId,
  type ReusePolicy,
  type Scenario,
  type ScenarioError,
  type ThreadSpec,
} from './types';

/** Lists the members of a string union; the `Record` makes the compiler reject a missing or extra member. */
function membersOf<T extends string>(members: Record<T, true>): readonly T[] {
  return Object.keys(members) as T[];
}

export const ALLOCATOR_KINDS = membersOf<AllocatorKind>({ 'lowest-free': true, 'next-fit': true, 'any-free': true });
export const REUSE_POLICIES = membersOf<ReusePolicy>({ immediate: true, batched: true });
export const PAGE_KINDS = membersOf<PageKind>({ anon: true, shmem: true });
export const PAGE_INITIALS = membersOf<PageInitial>({ swapped: true, present: true, none: true });
export const EXPECTATIONS = membersOf<Expectation>({ pass: true, fail: true });

/** The fields each operation takes besides `op`. */
export const OPERATION_OPERANDS: Readonly<Record<OperationKind, readonly ('page' | 'into')[]>> = {
  read: ['page'],
  write: ['page'],
  reclaim: ['page'],
  munmap: ['page'],
  dontneed: ['page'],
  fork: ['page', 'into'],
  swapoff: [],
};
export const OPERATION_KINDS = Object.keys(OPERATION_OPERANDS) as OperationKind[];

/** Bounds that keep a scenario small enough to explore exhaustively; the schema's descriptions state the same numbers. */
export const LIMITS = {
  pages: { min: 1, max: 8 },
  threads: { min: 1, max: 6 },
  opsPerThread: { min: 1, max: 8 },
  slots: { min: 1, max: 8 },
  batchSize: { min: 1, max: 8 },
  mm: { min: 0, max: 7 },
  maxStates: { min: 1, max: 1_000_000_000 },
  maxDepth: { min: 1, max: 10_000 },
  timeoutMs: { min: 1, max: 86_400_000 },
  /** In code points, as JSON Schema's `maxLength` counts. */
  nameLength: 40,
  idLength: 64,
} as const;

export const DEFAULT_DEVICE: Readonly<DeviceSpec> = {
  synchronous: true,
  slots: 2,
  allocator: 'lowest-free',
  discardOnFree: false,
  reuse: 'immediate',
  batchSize: 2,
  zswap: false,
  swapFull: false,
};
export const DEFAULT_PAGE: Readonly<Pick<PageSpec, 'kind' | 'mm' | 'initial' | 'cached'>> = {
  kind: 'anon',
  mm: 0,
  initial: 'swapped',
  cached: false,
};
export const DEFAULT_BOUNDS: Readonly<BoundsSpec> = { maxStates: 5_000_000, maxDepth: 400, timeoutMs: 60_000 };

export const ID_PATTERN = /^[a-z0-9-]+$/;
export const REFERENCE_PATTERN = /^S[1-9][0-9]*$/;

/** The `field` of an error about the document as a whole. */
export const ROOT_FIELD = '(root)';

/** Scenario files are a few kilobytes; anything far larger is a mistake, and is refused before parsing. */
const MAX_TEXT_LENGTH = 1 << 20;
/** A scenario nests 5 levels deep; the limit keeps jsonc-parser's recursive descent far from the stack limit. */
const MAX_NESTING = 64;
/** Beyond this many, further errors are summarised in one, so that garbage input stays cheap to report. */
const MAX_REPORTED_ERRORS = 50;
/** Syntax errors after the first few are mostly the parser's recovery echoing the first. */
const MAX_SYNTAX_ERRORS = 10;
/** Lists in messages ("expected one of ...") stop after this many values. */
const MAX_LISTED_VALUES = 12;

type Path = readonly (string | number)[];

/** One line per error, `file:line:column: field: message`, the form editors and terminals turn into links. */
export function formatScenarioError(e: ScenarioError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.field}: ${e.message}`;
}

/**
 * Parses the text of a scenario file. `file` is only used to label errors; `knownKernels` are the kernel
 * versions that `kernel` and the keys of `expect` may name.
 */
export function parseScenario(text: string, file: string, knownKernels: readonly string[]): ParseResult {
  try {
    const report = new Reporter(file, new LineIndex(text));
    const scenario = readScenario(text, report, knownKernels);
    return scenario && report.errors.length === 0 ? { ok: true, scenario } : { ok: false, errors: capped(report.errors) };
  } catch (unexpected) {
    // A bug must surface as a diagnostic, not crash the editor or the CLI mid-way.
    const detail = unexpected instanceof Error ? unexpected.message : String(unexpected);
    return { ok: false, errors: [{ file, line: 1, column: 1, field: ROOT_FIELD, message: `internal error in the scenario parser: ${detail}` }] };
  }
}

/** The scenario, or undefined after reporting why there is none; rule violations are reported as they are found. */
function readScenario(text: string, report: Reporter, knownKernels: readonly string[]): Scenario | undefined {
  if (text.length > MAX_TEXT_LENGTH) {
    report.at(0, [], `expected a scenario file of at most ${MAX_TEXT_LENGTH} characters but got ${text.length}`);
    return undefined;
  }
  // A byte order mark is not JSON, but editors write one; a space keeps every offset in place.
  const json = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const tooDeep = offsetBeyondNesting(json, MAX_NESTING);
  if (tooDeep !== undefined) {
    report.at(tooDeep, [], `expected at most ${MAX_NESTING} levels of nested objects and arrays`);
    return undefined;
  }
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(json, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0) {
    // The tree of a broken document is a guess; rule errors on it would mostly be noise.
    reportSyntaxErrors(json, syntaxErrors, report);
    return undefined;
  }
  if (!root) {
    // Without syntax errors there is always a tree; this only tells the compiler so.
    report.at(0, [], 'expected a scenario object');
    return undefined;
  }
  return new ScenarioReader(report, knownKernels).read(root);
}

function reportSyntaxErrors(text: string, syntaxErrors: readonly ParseError[], report: Reporter): void {
  // Recovery often reports several errors at one offset (a truncated file misses every closer); the first says it.
  const seenOffsets = new Set<number>();
  for (const error of syntaxErrors) {
    if (seenOffsets.has(error.offset)) continue;
    seenOffsets.add(error.offset);
    if (seenOffsets.size > MAX_SYNTAX_ERRORS) break;
    report.at(error.offset, syntaxErrorPath(text, error), syntaxErrorMessage(text, error, 'the scenario object'));
  }
}

/** Errors in document order, at most MAX_REPORTED_ERRORS of them and a last one that says more were found. */
function capped(errors: readonly ScenarioError[]): ScenarioError[] {
  const sorted = [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
  if (sorted.length <= MAX_REPORTED_ERRORS) return sorted;
  const omitted = sorted.length - MAX_REPORTED_ERRORS;
  return [...sorted.slice(0, MAX_REPORTED_ERRORS), { ...sorted[MAX_REPORTED_ERRORS], message: `${omitted} more errors from here on are not shown` }];
}

class Reporter {
  readonly errors: ScenarioError[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineIndex,
  ) {}

  at(offset: number, path: Path, message: string): void {
    this.errors.push({ file: this.file, ...this.lines.position(offset), field: formatPath(path), message });
  }
}

/** `pages[0].name`, as error messages name fields. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || ROOT_FIELD;
}

function quoteAll(values: readonly string[]): string {
  const listed = values.slice(0, MAX_LISTED_VALUES).map(quote).join(', ');
  return values.length > MAX_LISTED_VALUES ? `${listed}, …` : listed;
}

/** The offset of the key whose value is `value`: unknown and misplaced keys are reported there. */
function keyOffset(value: Node): number {
  return value.parent?.type === 'property' ? value.parent.offset : value.offset;
}

/** The closest allowed key within two edits, to turn "unknown field" into "did you mean". */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Levenshtein distance, cut short at 3 when the lengths alone rule out a close match. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

interface Range {
  readonly min: number;
  readonly max: number;
}

type Fields = ReadonlyMap<string, Node>;

/** A page as read, with its nodes for the checks that relate pages to each other. */
interface PageDraft {
  index: number;
  node: Node;
  fields: Fields;
  name?: string;
  kind?: PageKind;
  mm?: number;
  /** Undefined when the given value is invalid; the default when none is given. */
  initial?: PageInitial;
  slot?: number;
  cached?: boolean;
  sharedWith?: string;
}

interface OperationDraft {
  path: Path;
  fields: Fields;
  kind: OperationKind;
}

const ROOT_KEYS = ['$schema', 'id', 'title', 'description', 'reference', 'kernel', 'device', 'pages', 'threads', 'properties', 'bounds', 'expect'];
const DEVICE_KEYS: readonly (keyof DeviceSpec)[] = ['synchronous', 'slots', 'allocator', 'discardOnFree', 'reuse', 'batchSize', 'zswap', 'swapFull'];
const DEVICE_FLAGS = ['synchronous', 'discardOnFree', 'zswap', 'swapFull'] as const;
const PAGE_KEYS: readonly (keyof PageSpec)[] = ['name', 'kind', 'mm', 'initial', 'slot', 'cached', 'sharedWith'];
const SWAPPED_ONLY_KEYS = ['slot', 'cached', 'sharedWith'] as const;
const THREAD_KEYS: readonly (keyof ThreadSpec)[] = ['name', 'ops'];
const BOUNDS_KEYS: readonly (keyof BoundsSpec)[] = ['maxStates', 'maxDepth', 'timeoutMs'];

/** Reads a syntactically valid document into a scenario, reporting every rule it breaks. */
class ScenarioReader {
  constructor(
    private readonly report: Reporter,
    private readonly knownKernels: readonly string[],
  ) {}

  /** The scenario as far as it could be read; it is only returned to callers when nothing was reported. */
  read(root: Node): Scenario {
    const fields = this.fields(root, [], ROOT_KEYS, ['id', 'kernel', 'pages', 'threads']);
    this.optional(fields, '$schema', [], (node, path) => this.string(node, path));
    const id = this.optional(fields, 'id', [], (node, path) => this.id(node, path));
    const title = this.optional(fields, 'title', [], (node, path) => this.string(node, path));
    const description = this.optional(fields, 'description', [], (node, path) => this.string(node, path));
    const reference = this.optional(fields, 'reference', [], (node, path) => this.reference(node, path));
    const kernel = this.optional(fields, 'kernel', [], (node, path) => this.oneOf(node, path, this.knownKernels, 'the known kernels '));
    const device = this.device(fields?.get('device'));
    const pages = this.optional(fields, 'pages', [], (node, path) => this.pages(node, path, device.slots)) ?? [];
    const threads = this.optional(fields, 'threads', [], (node, path) => this.threads(node, path, pages)) ?? [];
    const properties = this.optional(fields, 'properties', [], (node, path) => this.properties(node, path)) ?? [...PROPERTY_IDS];
    const bounds = this.bounds(fields?.get('bounds'));
    const expect = this.optional(fields, 'expect', [], (node, path) => this.expectations(node, path)) ?? {};
    return {
      id: id ?? '',
      title: title ?? id ?? '',
      description: description ?? '',
      ...(reference !== undefined && { reference }),
      kernel: kernel ?? '',
      device,
      pages,
      threads,
      properties,
      bounds,
      expect,
    };
  }

  private id(node: Node, path: Path): string | undefined {
    const id = this.string(node, path);
    if (id === undefined || (ID_PATTERN.test(id) && id.length <= LIMITS.idLength)) return id;
    this.report.at(node.offset, path, `expected lowercase letters, digits and dashes (at most ${LIMITS.idLength}) but got ${describeValue(node)}`);
    return undefined;
  }

  private reference(node: Node, path: Path): string | undefined {
    const reference = this.string(node, path);
    if (reference === undefined || REFERENCE_PATTERN.test(reference)) return reference;
    this.report.at(node.offset, path, `expected a race of the reference such as "S1" or "S10" but got ${describeValue(node)}`);
    return undefined;
  }

  private device(node: Node | undefined): DeviceSpec {
    const device = { ...DEFAULT_DEVICE };
    if (!node) return device;
    const path = ['device'];
    const fields = this.fields(node, path, DEVICE_KEYS, []);
    for (const flag of DEVICE_FLAGS) device[flag] = this.optional(fields, flag, path, (n, p) => this.boolean(n, p)) ?? device[flag];
    device.slots = this.optional(fields, 'slots', path, (n, p) => this.integer(n, p, LIMITS.slots)) ?? device.slots;
    device.batchSize = this.optional(fields, 'batchSize', path, (n, p) => this.integer(n, p, LIMITS.batchSize)) ?? device.batchSize;
    device.allocator = this.optional(fields, 'allocator', path, (n, p) => this.oneOf(n, p, ALLOCATOR_KINDS)) ?? device.allocator;
    device.reuse = this.optional(fields, 'reuse', path, (n, p) => this.oneOf(n, p, REUSE_POLICIES)) ?? device.reuse;
    return device;
  }

  private pages(node: Node, path: Path, slots: number): PageSpec[] {
    const drafts = (this.array(node, path, LIMITS.pages, 'pages') ?? []).map((item, index) => this.page(item, [...path, index], index, slots));
    this.checkUniqueNames(drafts, 'pages');
    const byName = new Map<string, PageDraft>();
    for (const draft of drafts) if (draft.name !== undefined && !byName.has(draft.name)) byName.set(draft.name, draft);
    this.checkSharing(drafts, byName);
    const slotOf = this.assignSlots(drafts, slots);
    return drafts.map((draft) => {
      const page: PageSpec = {
        name: draft.name ?? '',
        kind: draft.kind ?? DEFAULT_PAGE.kind,
        mm: draft.mm ?? DEFAULT_PAGE.mm,
        initial: draft.initial ?? DEFAULT_PAGE.initial,
        cached: draft.cached ?? DEFAULT_PAGE.cached,
      };
      const slot = slotOf.get(draft);
      if (slot !== undefined) page.slot = slot;
      if (draft.sharedWith !== undefined) page.sharedWith = draft.sharedWith;
      return page;
    });
  }

  private page(node: Node, path: Path, index: number, slots: number): PageDraft {
    const fields = this.fields(node, path, PAGE_KEYS, ['name']) ?? new Map<string, Node>();
    const initial = fields.has('initial') ? this.optional(fields, 'initial', path, (n, p) => this.oneOf(n, p, PAGE_INITIALS)) : DEFAULT_PAGE.initial;
    if (initial !== undefined && initial !== 'swapped') {
      for (const key of SWAPPED_ONLY_KEYS) {
        const value = fields.get(key);
        // `"cached": false` is what a parsed scenario holds for every such page, so written-out scenarios read back.
        if (!value || (key === 'cached' && value.value === false)) continue;
        this.report.at(keyOffset(value), [...path, key], `expected no "${key}": it applies only to pages whose initial is "swapped", and this one is "${initial}"`);
      }
    }
    return {
      index,
      node,
      fields,
      initial,
      name: this.optional(fields, 'name', path, (n, p) => this.name(n, p)),
      kind: this.optional(fields, 'kind', path, (n, p) => this.oneOf(n, p, PAGE_KINDS)),
      mm: this.optional(fields, 'mm', path, (n, p) => this.integer(n, p, LIMITS.mm)),
      slot: this.optional(fields, 'slot', path, (n, p) => this.integer(n, p, { min: 0, max: slots - 1 })),
      cached: this.optional(fields, 'cached', path, (n, p) => this.boolean(n, p)),
      sharedWith: this.optional(fields, 'sharedWith', path, (n, p) => this.string(n, p)),
    };
  }

  /** Checks every `sharedWith` link: a swapped anon parent names a distinct fork child that only it names. */
  private checkSharing(drafts: readonly PageDraft[], byName: ReadonlyMap<string, PageDraft>): void {
    const parentOf = new Map<PageDraft, PageDraft>();
    for (const parent of drafts) {
      // On a page that is not swapped, sharedWith is already reported as misplaced.
      if (parent.sharedWith === undefined || parent.initial !== 'swapped') continue;
      const node = parent.fields.get('sharedWith')!;
      const path = ['pages', parent.index, 'sharedWith'];
      const child = this.pageReference(node, path, parent.sharedWith, byName);
      if (!child) continue;
      const problem = this.sharingProblem(parent, child, parentOf.get(child));
      if (problem) this.report.at(node.offset, path, problem);
      else parentOf.set(child, parent);
    }
  }

  private sharingProblem(parent: PageDraft, child: PageDraft, otherParent: PageDraft | undefined): string | undefined {
    const name = quote(child.name ?? '');
    if (child === parent) return 'expected another page: a page cannot share its entry with itself';
    // The child's PTE is a copy of the parent's: a state of its own would be overwritten.
    if (child.initial !== undefined && child.initial !== 'none') return `expected a page whose initial is "none" (its PTE is copied from this one) but ${name} is "${child.initial}"`;
    const shmem = [parent, child].find((page) => page.kind === 'shmem');
    if (shmem) return `expected two anon pages (fork shares the swap entries of anon pages only) but ${quote(shmem.name ?? '')} is shmem`;
    if (otherParent) return `expected a page no other page shares with, but ${quote(otherParent.name ?? '')} already shares its entry with ${name}`;
    return undefined;
  }

  /** Checks explicit slots (one page each) and gives every other swapped page the lowest unused one. */
  private assignSlots(drafts: readonly PageDraft[], slots: number): Map<PageDraft, number> {
    const slotOf = new Map<PageDraft, number>();
    const holder = new Map<number, PageDraft>();
    const swapped = drafts.filter((draft) => draft.initial === 'swapped');
    for (const page of swapped) {
      if (page.slot === undefined) continue;
      const previous = holder.get(page.slot);
      if (previous) {
        const message = `expected a free slot but slot ${page.slot} already holds ${quote(previous.name ?? '')}; to share one entry, name the other page in "sharedWith"`;
        this.report.at(page.fields.get('slot')!.offset, ['pages', page.index, 'slot'], message);
      } else {
        holder.set(page.slot, page);
        slotOf.set(page, page.slot);
      }
    }
    for (const page of swapped) {
      if (page.fields.has('slot')) continue;
      let slot = 0;
      while (holder.has(slot)) slot++;
      if (slot >= slots) {
        this.report.at(page.node.offset, ['pages', page.index], `expected a free slot for this swapped page, but all ${slots} slots of the device are taken`);
        continue;
      }
      holder.set(slot, page);
      slotOf.set(page, slot);
    }
    return slotOf;
  }

  private threads(node: Node, path: Path, pages: readonly PageSpec[]): ThreadSpec[] {
    const drafts = (this.array(node, path, LIMITS.threads, 'threads') ?? []).map((item, index) => {
      const threadPath = [...path, index];
      const fields = this.fields(item, threadPath, THREAD_KEYS, ['name', 'ops']) ?? new Map<string, Node>();
      const name = this.optional(fields, 'name', threadPath, (n, p) => this.name(n, p));
      const opNodes = this.optional(fields, 'ops', threadPath, (n, p) => this.array(n, p, LIMITS.opsPerThread, 'operations')) ?? [];
      const ops = opNodes.map((op, opIndex) => this.operation(op, [...threadPath, 'ops', opIndex]));
      return { index, fields, name, ops };
    });
    this.checkUniqueNames(drafts, 'threads');
    const byName = new Map<string, PageSpec>();
    const sharers = new Map<string, PageSpec>();
    for (const page of pages) {
      if (!byName.has(page.name)) byName.set(page.name, page);
      if (page.sharedWith !== undefined) sharers.set(page.sharedWith, page);
    }
    const forkTargets = new Map<string, Path>();
    const threads = drafts.map((draft) => ({
      name: draft.name ?? '',
      ops: draft.ops.flatMap((op) => (op && this.resolveOperation(op, byName, sharers, forkTargets)) ?? []),
    }));
    for (const draft of drafts) for (const op of draft.ops) if (op) this.checkBorn(op, forkTargets);
    this.checkForkWaits(drafts, forkTargets);
    return threads;
  }

  /** The fork that creates the page `op` uses, for an operation that runs in the page's process. */
  private forkOf(op: OperationDraft, forkTargets: ReadonlyMap<string, Path>): { node: Node; name: string; fork: Path } | undefined {
    if (!runsInPageProcess(op.kind)) return undefined;
    const node = op.fields.get('page');
    const name = node?.type === 'string' ? (node.value as string) : undefined;
    const fork = name === undefined ? undefined : forkTargets.get(name);
    return node && fork ? { node, name: name!, fork } : undefined;
  }

  /**
   * A page a fork creates belongs to the child process, which exists from the fork on. An operation of
   * another thread on it waits for the fork; in the forking thread only the operations after the fork can
   * use it.
   */
  private checkBorn(op: OperationDraft, forkTargets: ReadonlyMap<string, Path>): void {
    const use = this.forkOf(op, forkTargets);
    if (!use) return;
    const [, forkThread, , forkOp] = use.fork;
    const [, thread, , index] = op.path;
    if (thread !== forkThread || (index as number) > (forkOp as number)) return;
    this.report.at(use.node.offset, [...op.path, 'page'], `expected a page that exists here, but ${quote(use.name)} is created by the fork at ${formatPath(use.fork)}, which this thread has not run yet: use it after the fork, or from another thread (which waits for the fork)`);
  }

  /** Operations that wait for forks in other threads must not wait, through them, for themselves. */
  private checkForkWaits(drafts: readonly { ops: (OperationDraft | undefined)[] }[], forkTargets: ReadonlyMap<string, Path>): void {
    // Run the threads forward as far as the waits let them: whatever is left waits in a circle.
    const started = drafts.map(() => 0);
    for (let moved = true; moved; ) {
      moved = false;
      drafts.forEach((draft, t) => {
        for (; started[t] < draft.ops.length; started[t]++, moved = true) {
          const op = draft.ops[started[t]];
          const use = op && this.forkOf(op, forkTargets);
          if (!use) continue;
          const [, forkThread, , forkOp] = use.fork as [string, number, string, number];
          if (forkThread !== t && started[forkThread] <= forkOp) break;
        }
      });
    }
    drafts.forEach((draft, t) => {
      const op = draft.ops[started[t]];
      const use = op && this.forkOf(op, forkTargets);
      if (!use) return;
      this.report.at(use.node.offset, [...op.path, 'page'], `expected a page whose fork can run first, but the fork at ${formatPath(use.fork)} that creates ${quote(use.name)} never runs: the threads' waits for forks go round in a circle`);
    });
  }

  private operation(node: Node, path: Path): OperationDraft | undefined {
    const fields = this.fields(node, path, undefined, ['op']);
    const kind = this.optional(fields, 'op', path, (n, p) => this.oneOf(n, p, OPERATION_KINDS));
    if (!fields || !kind) return undefined;
    const allowed = ['op', ...OPERATION_OPERANDS[kind]];
    this.checkKeys(node, fields, path, allowed, allowed, `for a "${kind}" operation`);
    return { path, fields, kind };
  }

  /**
   * The operation if its page references hold. `sharers` maps each fork child to the page that shares its entry
   * with it; `forkTargets` collects, in file order, the page each fork creates.
   */
  private resolveOperation(
    op: OperationDraft,
    pages: ReadonlyMap<string, PageSpec>,
    sharers: ReadonlyMap<string, PageSpec>,
    forkTargets: Map<string, Path>,
  ): Operation | undefined {
    const reference = (key: 'page' | 'into') =>
      this.optional(op.fields, key, op.path, (node, path) => {
        const name = this.string(node, path);
        return name === undefined ? undefined : this.pageReference(node, path, name, pages);
      });
    if (op.kind === 'swapoff') return { op: 'swapoff' };
    const page = reference('page');
    // The model's shmem page is the file's mapping slot: MADV_DONTNEED would zap a PTE and leave it alone.
    if (op.kind === 'dontneed' && page?.kind === 'shmem') {
      this.report.at(op.fields.get('page')!.offset, [...op.path, 'page'], `expected an anon page (MADV_DONTNEED of a shmem mapping leaves the file's page; "munmap" of a shmem page truncates it) but ${quote(page.name)} is shmem`);
    }
    if (op.kind !== 'fork') return page && { op: op.kind, page: page.name };
    const into = reference('into');
    if (!page || !into) return undefined;
    const intoNode = op.fields.get('into')!;
    const intoPath = [...op.path, 'into'];
    // The model's shmem page is the file's mapping slot: parent and child map that one page, so a fork has
    // nothing to copy, and a child page that copied it would take writes without copy-on-write.
    if (page.kind === 'shmem') {
      this.report.at(op.fields.get('page')!.offset, [...op.path, 'page'], `expected an anon page (a fork copies anon PTEs; a shmem page stays the file's) but ${quote(page.name)} is shmem`);
    }
    const earlierFork = forkTargets.get(into.name);
    const sharer = sharers.get(into.name);
    if (into === page) {
      this.report.at(intoNode.offset, intoPath, 'expected another page: a page cannot be forked into itself');
    } else if (into.kind === 'shmem') {
      this.report.at(intoNode.offset, intoPath, `expected an anon page (a fork creates anon PTEs) but ${quote(into.name)} is shmem`);
    } else if (into.initial !== 'none') {
      this.report.at(intoNode.offset, intoPath, `expected a page whose initial is "none" (the fork creates it) but ${quote(into.name)} is "${into.initial}"`);
    } else if (earlierFork) {
      this.report.at(intoNode.offset, intoPath, `expected a page no other fork creates, but ${formatPath(earlierFork)} already forks into ${quote(into.name)}`);
    } else if (sharer) {
      this.report.at(intoNode.offset, intoPath, `expected a page no other page creates, but ${quote(sharer.name)} already shares its entry with ${quote(into.name)}`);
    } else {
      forkTargets.set(into.name, op.path);
    }
    return { op: 'fork', page: page.name, into: into.name };
  }

  private properties(node: Node, path: Path): PropertyId[] {
    const seen = new Set<PropertyId>();
    for (const [index, item] of (this.array(node, path, { min: 1, max: PROPERTY_IDS.length }, 'properties') ?? []).entries()) {
      const id = this.oneOf(item, [...path, index], PROPERTY_IDS);
      if (id !== undefined && seen.has(id)) this.report.at(item.offset, [...path, index], `expected each property once, but ${quote(id)} is listed twice`);
      if (id !== undefined) seen.add(id);
    }
    return [...seen];
  }

  private bounds(node: Node | undefined): BoundsSpec {
    const bounds = { ...DEFAULT_BOUNDS };
    const path = ['bounds'];
    const fields = node && this.fields(node, path, BOUNDS_KEYS, []);
    for (const key of BOUNDS_KEYS) bounds[key] = this.optional(fields, key, path, (n, p) => this.integer(n, p, LIMITS[key])) ?? bounds[key];
    return bounds;
  }

  private expectations(node: Node, path: Path): Record<string, Expectation> {
    const entries: [string, Expectation][] = [];
    for (const [kernel, value] of this.fields(node, path, undefined, []) ?? []) {
      const kernelPath = [...path, kernel];
      const known = this.knownKernels.includes(kernel);
      if (!known) this.report.at(keyOffset(value), kernelPath, `expected one of the known kernels ${quoteAll(this.knownKernels)} but got ${quote(kernel)}`);
      const expectation = this.oneOf(value, kernelPath, EXPECTATIONS);
      if (known && expectation) entries.push([kernel, expectation]);
    }
    // fromEntries defines own properties, so even a key like "__proto__" cannot reach the prototype.
    return Object.fromEntries(entries);
  }

  private checkUniqueNames(items: readonly { index: number; name?: string; fields: Fields }[], list: 'pages' | 'threads'): void {
    const firstIndex = new Map<string, number>();
    for (const item of items) {
      if (item.name === undefined) continue;
      const earlier = firstIndex.get(item.name);
      if (earlier === undefined) firstIndex.set(item.name, item.index);
      else this.report.at(item.fields.get('name')!.offset, [list, item.index, 'name'], `expected a unique name but ${quote(item.name)} is already used by ${list}[${earlier}]`);
    }
  }

  private pageReference<T>(node: Node, path: Path, name: string, pages: ReadonlyMap<string, T>): T | undefined {
    const page = pages.get(name);
    if (page === undefined) this.report.at(node.offset, path, `expected one of the declared pages ${quoteAll([...pages.keys()])} but got ${describeValue(node)}`);
    return page;
  }

  // Typed readers: each reports a mismatch at the value and returns undefined.

  /** Reads `key` of `fields` with `read` if it is there. */
  private optional<T>(fields: Fields | undefined, key: string, parent: Path, read: (node: Node, path: Path) => T | undefined): T | undefined {
    const node = fields?.get(key);
    return node && read(node, [...parent, key]);
  }

  /**
   * The properties of an object node by key, after reporting repeated keys, keys outside `allowed`
   * (when given) and missing `required` keys. Undefined when the node is not an object.
   */
  private fields(node: Node, path: Path, allowed: readonly string[] | undefined, required: readonly string[]): Fields | undefined {
    if (node.type !== 'object') {
      this.report.at(node.offset, path, `expected an object but got ${describeValue(node)}`);
      return undefined;
    }
    const fields = new Map<string, Node>();
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || !value) continue;
      const name = String(key.value);
      if (fields.has(name)) this.report.at(key.offset, [...path, name], 'expected each key once, but this one is repeated');
      else fields.set(name, value);
    }
    this.checkKeys(node, fields, path, allowed, required, '');
    return fields;
  }

  private checkKeys(node: Node, fields: Fields, path: Path, allowed: readonly string[] | undefined, required: readonly string[], context: string): void {
    if (allowed) {
      const listed = allowed.filter((key) => key !== '$schema');
      for (const [key, value] of fields) {
        if (allowed.includes(key)) continue;
        const suggestion = closest(key, listed);
        const hint = suggestion ? `did you mean ${quote(suggestion)}?` : `expected one of ${quoteAll(listed)}`;
        this.report.at(keyOffset(value), [...path, key], `unknown field${context && ' ' + context}; ${hint}`);
      }
    }
    for (const key of required) {
      if (!fields.has(key)) this.report.at(node.offset, [...path, key], 'required field is missing');
    }
  }

  private array(node: Node, path: Path, count: Range, noun: string): Node[] | undefined {
    if (node.type !== 'array') {
      this.report.at(node.offset, path, `expected an array of ${noun} but got ${describeValue(node)}`);
      return undefined;
    }
    const items = node.children ?? [];
    if (items.length < count.min || items.length > count.max) this.report.at(node.offset, path, `expected ${count.min} to ${count.max} ${noun} but got ${items.length}`);
    // Past the limit only the first items are checked: the checks across items (names, fork waits) need not scale to a crafted file.
    return items.slice(0, count.max);
  }

  private string(node: Node, path: Path): string | undefined {
    if (node.type === 'string') return String(node.value);
    this.report.at(node.offset, path, `expected a string but got ${describeValue(node)}`);
    return undefined;
  }

  /** Page and thread names: any characters (the UI renders them as text), 1 to 40 code points. */
  private name(node: Node, path: Path): string | undefined {
    const name = this.string(node, path);
    if (name === undefined) return undefined;
    const length = [...name].length;
    if (length >= 1 && length <= LIMITS.nameLength) return name;
    this.report.at(node.offset, path, `expected a name of 1 to ${LIMITS.nameLength} characters but got ${length === 0 ? 'an empty one' : `${length} characters`}`);
    return undefined;
  }

  private integer(node: Node, path: Path, range: Range): number | undefined {
    if (node.type === 'number' && Number.isInteger(node.value) && node.value >= range.min && node.value <= range.max) return node.value as number;
    this.report.at(node.offset, path, `expected an integer from ${range.min} to ${range.max} but got ${describeValue(node)}`);
    return undefined;
  }

  private boolean(node: Node, path: Path): boolean | undefined {
    if (node.type === 'boolean') return node.value as boolean;
    this.report.at(node.offset, path, `expected true or false but got ${describeValue(node)}`);
    return undefined;
  }

  private oneOf<T extends string>(node: Node, path: Path, values: readonly T[], what = ''): T | undefined {
    if (node.type === 'string' && (values as readonly string[]).includes(node.value)) return node.value as T;
    this.report.at(node.offset, path, `expected one of ${what}${quoteAll(values)} but got ${describeValue(node)}`);
    return undefined;
  }
}
