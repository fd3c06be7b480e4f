/**
 * The scenario a user writes in a `*.swaprace.json` file, after parsing and defaulting.
 * Field names are the JSON names; the JSON Schema (`schema/swaprace.schema.json`) describes the same shape.
 */

export type AllocatorKind = 'lowest-free' | 'next-fit' | 'any-free';
export type ReusePolicy = 'immediate' | 'batched';
export type PageKind = 'anon' | 'shmem';
export type PageInitial = 'swapped' | 'present' | 'none';
export type Expectation = 'pass' | 'fail';

export const PROPERTY_IDS = [
  'no-stale-install',
  'no-lost-write',
  'swap-count-consistent',
  'no-freed-slot-read',
  'no-use-after-swapoff',
  'no-slot-leak',
  'fault-completes',
] as const;
export type PropertyId = (typeof PROPERTY_IDS)[number];

/**
 * What each property means, in one sentence: the rule texts of `check --sarif`, and the schema's
 * enumDescriptions (test/core/schema.test.ts fails when the schema says something else).
 */
export const PROPERTY_DESCRIPTIONS: Readonly<Record<PropertyId, string>> = {
  'no-stale-install': "A fault never maps a folio whose data is older than the page's latest write.",
  'no-lost-write': 'Once every thread has finished, each page reads the last value written to it.',
  'swap-count-consistent': 'Each swap_map count matches the references to the slot, and SWAP_HAS_CACHE matches the swap cache.',
  'no-freed-slot-read': 'No swap-in reads a slot after that slot was freed.',
  'no-use-after-swapoff': 'No thread uses a swap entry or the device after swapoff released it.',
  'no-slot-leak': 'Once every thread has finished, no slot stays allocated with nothing referring to it.',
  'fault-completes': 'Every fault finishes: no deadlock, and no livelock under weak fairness.',
};

export interface DeviceSpec {
  /** SWP_SYNCHRONOUS_IO (zram, brd): the only kind of device on which the direct ("skip swapcache") path is taken. */
  synchronous: boolean;
  /** Number of swap slots on the device. */
  slots: number;
  /** How `get_swap_pages` picks a slot; `any-free` makes the choice a branch of the search. */
  allocator: AllocatorKind;
  /** zram-like: freeing a slot discards its data (`swap_slot_free_notify`). */
  discardOnFree: boolean;
  /** `immediate`: a freed slot is allocatable at once (slot cache inactive); `batched`: it waits in `slots_ret`. */
  reuse: ReusePolicy;
  /** With `batched` reuse: `slots_ret` is flushed when it holds this many entries (SWAP_SLOTS_CACHE_SIZE). */
  batchSize: number;
  /** zswap in front of the device: the data of a swapped page is held in a zswap entry. */
  zswap: boolean;
  /** `mem_cgroup_swap_full()`: a fault drops the swap cache after mapping (`should_try_to_free_swap`). */
  swapFull: boolean;
}

export interface PageSpec {
  name: string;
  kind: PageKind;
  /** Address space: PTEs of one mm share one page-table lock. Fork children live in mm 1. */
  mm: number;
  initial: PageInitial;
  /**
   * For `swapped` pages (set on every one after parsing): the slot that holds the page. In a file it defaults to
   * the lowest slot that no page names explicitly and no earlier page took.
   */
  slot?: number;
  /** For `swapped` pages: the page's folio is still in the swap cache. */
  cached: boolean;
  /**
   * For `swapped` anon pages: another page (a fork child) whose PTE holds the same entry; the count is then 2.
   * The child is an anon page whose initial is `none` (its PTE is a copy of this one), named by no other page
   * and created by no fork.
   */
  sharedWith?: string;
}

export type Operation =
  | { op: 'read'; page: string }
  | { op: 'write'; page: string }
  | { op: 'reclaim'; page: string }
  | { op: 'munmap'; page: string }
  | { op: 'dontneed'; page: string }
  | { op: 'fork'; page: string; into: string }
  | { op: 'swapoff' };

export type OperationKind = Operation['op'];

/**
 * Whether the operation runs in the process of the page it names, so that a page a fork creates must exist
 * first. Reclaim and swapoff meet pages wherever they find them.
 */
export const runsInPageProcess = (kind: OperationKind): boolean => kind !== 'reclaim' && kind !== 'swapoff';

export interface ThreadSpec {
  name: string;
  ops: Operation[];
}

export interface BoundsSpec {
  maxStates: number;
  maxDepth: number;
  timeoutMs: number;
}

export interface Scenario {
  id: string;
  title: string;
  description: string;
  /** Which race of the reference this scenario reproduces (S1..S10), if any. */
  reference?: string;
  /** Kernel version id (see `src/core/kernels`). */
  kernel: string;
  device: DeviceSpec;
  pages: PageSpec[];
  threads: ThreadSpec[];
  properties: PropertyId[];
  bounds: BoundsSpec;
  /** Expected verdict per kernel version: `fail` means some interleaving violates a property. */
  expect: Record<string, Expectation>;
}

/** A positioned problem in a scenario file. Lines and columns are 1-based. */
export interface ScenarioError {
  file: string;
  line: number;
  column: number;
  /** JSON path of the offending field, e.g. `threads[1].ops[0].page`. */
  field: string;
  message: string;
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };
