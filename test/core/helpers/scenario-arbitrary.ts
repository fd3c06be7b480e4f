/**
 * fast-check arbitraries for scenario files: valid ones (every optional field sometimes left out, names of any
 * characters) and mutations of them. Shared by the parser and schema tests (the trace-file tests take `pathsIn`).
 */
import fc from 'fast-check';
import { ALLOCATOR_KINDS, OPERATION_KINDS, PAGE_INITIALS, PAGE_KINDS, REUSE_POLICIES } from '../../../src/core/scenario/parse';
import { PROPERTY_IDS, type PageInitial, type PageKind } from '../../../src/core/scenario/types';

/** The kernel versions the tests pass to the parser: fixed here, so that exact messages do not follow the data. */
export const KNOWN_KERNELS = ['v5.13', 'v6.7', 'shmem-bypass-2023', 'v6.8', 'v6.12', 'v6.14', 'v6.18', 'v7.0'] as const;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A page as written in a file; absent keys take their defaults. */
export interface PageFile extends JsonObject {
  name: string;
}

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** Any characters, 1 to 40 code points: the parser must not care what a name contains. */
const anyName = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

const pageChoice = fc.record(
  {
    kind: fc.constantFrom(...PAGE_KINDS),
    mm: fc.integer({ min: 0, max: 7 }),
    initial: fc.constantFrom(...PAGE_INITIALS),
    cached: fc.boolean(),
    explicitSlot: fc.boolean(),
    sharesWithNext: fc.boolean(),
  },
  { requiredKeys: ['explicitSlot', 'sharesWithNext'] },
);

const opChoice = fc.record({
  op: fc.constantFrom(...OPERATION_KINDS),
  page: fc.nat(),
  into: fc.nat(),
});

const optionalFields = fc.record(
  {
    $schema: fc.constant('../schema/swaprace.schema.json'),
    title: fc.string(),
    description: fc.string(),
    reference: fc.integer({ min: 1, max: 10 }).map((n) => `S${n}`),
    properties: fc.shuffledSubarray([...PROPERTY_IDS], { minLength: 1 }),
    bounds: fc.record(
      {
        maxStates: fc.integer({ min: 1, max: 1_000_000_000 }),
        maxDepth: fc.integer({ min: 1, max: 10_000 }),
        timeoutMs: fc.integer({ min: 1, max: 86_400_000 }),
      },
      { requiredKeys: [] },
    ),
    expect: fc.dictionary(fc.constantFrom(...KNOWN_KERNELS), fc.constantFrom('pass', 'fail')),
  },
  { requiredKeys: [] },
);

const deviceChoice = fc.record(
  {
    synchronous: fc.boolean(),
    slots: fc.integer({ min: 1, max: 8 }),
    allocator: fc.constantFrom(...ALLOCATOR_KINDS),
    discardOnFree: fc.boolean(),
    reuse: fc.constantFrom(...REUSE_POLICIES),
    batchSize: fc.integer({ min: 1, max: 8 }),
    zswap: fc.boolean(),
    swapFull: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** A valid scenario file as a JSON object. */
export const validScenarioFile: fc.Arbitrary<JsonObject> = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9-]{1,64}$/),
    kernel: fc.constantFrom(...KNOWN_KERNELS),
    device: fc.option(deviceChoice, { nil: undefined }),
    pageNames: fc.uniqueArray(anyName, { minLength: 1, maxLength: 8 }),
    pageChoices: fc.array(pageChoice, { minLength: 8, maxLength: 8 }),
    slotOrder: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }),
    threadNames: fc.uniqueArray(anyName, { minLength: 1, maxLength: 6 }),
    threadOps: fc.array(fc.array(opChoice, { minLength: 1, maxLength: 8 }), { minLength: 6, maxLength: 6 }),
    optional: optionalFields,
  })
  .map((choice) => {
    const slots = choice.device?.slots ?? 2;
    const pages = buildPages(choice.pageNames, choice.pageChoices, choice.slotOrder.filter((s) => s < slots), slots);
    const forkTargetsUsed = new Set<string>();
    const threads = choice.threadNames.map((name, i) => ({ name, ops: buildOps(choice.threadOps[i], pages, forkTargetsUsed) }));
    bornBeforeUse(threads);
    const file: JsonObject = { id: choice.id, kernel: choice.kernel, pages, threads, ...choice.optional };
    if (choice.device) file.device = choice.device;
    return file;
  });

/**
 * Pages whose slots can all be given: each swapped page either names a distinct slot from `freeSlots` or leaves
 * it to the default; a page that would need a slot beyond the device's becomes `present`; a swapped anon page
 * marked to share with the next makes the next one its fork child (anon, initial `none`).
 */
function buildPages(names: readonly string[], choices: readonly ValueOf<typeof pageChoice>[], freeSlots: readonly number[], slots: number): PageFile[] {
  const pages: PageFile[] = [];
  let slotsTaken = 0;
  let isChild = false;
  names.forEach((name, i) => {
    const choice = choices[i];
    const page: PageFile = { name };
    if (choice.mm !== undefined) page.mm = choice.mm;
    if (isChild) {
      isChild = false;
      if (choice.kind === 'anon') page.kind = 'anon';
      page.initial = 'none';
      pages.push(page);
      return;
    }
    const kind: PageKind = choice.kind ?? 'anon';
    if (choice.kind) page.kind = choice.kind;
    const initial: PageInitial = choice.initial ?? 'swapped';
    if (initial === 'swapped' && slotsTaken === slots) {
      page.initial = 'present';
    } else if (choice.initial) {
      page.initial = choice.initial;
    }
    if (initial === 'swapped' && slotsTaken < slots) {
      if (choice.explicitSlot) page.slot = freeSlots[slotsTaken];
      slotsTaken++;
      if (choice.cached !== undefined) page.cached = choice.cached;
      if (choice.sharesWithNext && kind === 'anon' && i + 1 < names.length) {
        page.sharedWith = names[i + 1];
        isChild = true;
      }
    }
    pages.push(page);
  });
  return pages;
}

/**
 * Operations on declared pages; a fork of a shmem page, or with no anon page left to create (across all
 * threads), becomes a read, and MADV_DONTNEED of a shmem page a munmap (its truncation).
 */
function buildOps(choices: readonly ValueOf<typeof opChoice>[], pages: readonly PageFile[], forkTargetsUsed: Set<string>): JsonObject[] {
  const children = new Set(pages.map((p) => p.sharedWith));
  const anon = (p: PageFile) => p.kind !== 'shmem';
  const forkTargets = pages.filter((p) => p.initial === 'none' && anon(p) && !children.has(p.name)).map((p) => p.name);
  return choices.map(({ op, page: pageIndex, into: intoIndex }): JsonObject => {
    const forked = pages[pageIndex % pages.length];
    const page = forked.name;
    if (op === 'swapoff') return { op };
    if (op === 'dontneed' && !anon(forked)) return { op: 'munmap', page };
    if (op !== 'fork') return { op, page };
    const candidates = forkTargets.filter((name) => name !== page && !forkTargetsUsed.has(name));
    if (candidates.length === 0 || !anon(forked)) return { op: 'read', page };
    const into = candidates[intoIndex % candidates.length];
    forkTargetsUsed.add(into);
    return { op, page, into };
  });
}

/**
 * A page a fork creates is used after the fork in its thread, or by a later-listed thread (which waits
 * for the fork): any other use becomes a reclaim of it. Waits then only go to earlier-listed threads,
 * so they never go round in a circle, which the parser rejects (its own tests cover those).
 */
function bornBeforeUse(threads: { ops: JsonObject[] }[]): void {
  const createdAt = new Map<JsonValue, [number, number]>();
  threads.forEach((thread, t) => thread.ops.forEach((op, i) => op.op === 'fork' && createdAt.set(op.into, [t, i])));
  threads.forEach((thread, t) =>
    thread.ops.forEach((op, i) => {
      const fork = createdAt.get(op.page);
      const usable = !fork || fork[0] < t || (fork[0] === t && i > fork[1]);
      if (op.op !== 'reclaim' && !usable) thread.ops[i] = { op: 'reclaim', page: op.page as string };
    }),
  );
}

/** A valid file with one value deleted or replaced by arbitrary JSON: sometimes still valid, mostly not. */
export const mutatedScenarioFile: fc.Arbitrary<JsonObject> = fc
  .tuple(validScenarioFile, fc.nat(), fc.option(fc.jsonValue(), { nil: undefined }))
  .map(([file, n, replacement]) => mutate(file, n, replacement as JsonValue | undefined));

/** Every path to a value inside `value`, objects and arrays included, e.g. `['pages', 0, 'name']`. */
export function pathsIn(value: JsonValue, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, JsonValue][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsIn(child, [...prefix, key])]);
}

/** A copy of `file` with the value at its `n`-th path (modulo their count) deleted, or replaced by `replacement`. */
function mutate(file: JsonObject, n: number, replacement: JsonValue | undefined): JsonObject {
  const copy = structuredClone(file);
  const paths = pathsIn(copy);
  const path = paths[n % paths.length];
  const key = path[path.length - 1];
  const parent = path.slice(0, -1).reduce<JsonValue>((value, segment) => (value as Record<string | number, JsonValue>)[segment], copy);
  if (Array.isArray(parent)) {
    if (replacement === undefined) parent.splice(key as number, 1);
    else parent[key as number] = replacement;
  } else {
    const object = parent as JsonObject;
    if (replacement === undefined) delete object[key];
    else object[key] = replacement;
  }
  return copy;
}
