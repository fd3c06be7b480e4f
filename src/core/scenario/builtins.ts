/**
 * The built-in scenario library. Each names the race of `shared/reference/kernel-swapin.md` §9 it
 * reproduces and the verdict every kernel version must get; the tests check those verdicts by search.
 */
import { DEFAULT_DEVICE } from './parse';
import { PROPERTY_IDS, type DeviceSpec, type Expectation, type PageSpec, type Scenario } from './types';

/** The parser's default device is the synchronous (zram-like) device the ABA needs. */
const SYNC_DEVICE: DeviceSpec = DEFAULT_DEVICE;

const BOUNDS = { maxStates: 2_000_000, maxDepth: 400, timeoutMs: 120_000 };

const anon = (name: string, extra: Partial<PageSpec> = {}): PageSpec => ({
  name, kind: 'anon', mm: 0, initial: 'swapped', cached: false, ...extra,
});

/** Expectations listed oldest to newest. */
function expect(v513: Expectation, v67: Expectation, bypass2023: Expectation, v68: Expectation, v612: Expectation,
  v614: Expectation, v618: Expectation, v70: Expectation): Record<string, Expectation> {
  return { 'v5.13': v513, 'v6.7': v67, 'shmem-bypass-2023': bypass2023, 'v6.8': v68, 'v6.12': v612, 'v6.14': v614, 'v6.18': v618, 'v7.0': v70 };
}

const SAFETY_WITHOUT_FREED_READ = PROPERTY_IDS.filter((p) => p !== 'no-freed-slot-read');

export const BUILTIN_SCENARIOS: readonly Scenario[] = [
  {
    id: 'anon-direct-aba',
    title: 'S1: direct swap-in ABA on an anonymous page',
    description:
      'Two threads fault on one swap entry of a synchronous device; the winner maps its copy, writes, and ' +
      'reclaim swaps the page out again reusing the freed slot. Without the v6.8 pin the loser\'s pte_same() ' +
      'compares equal on the reused slot and maps stale data (LKML, Nov 2023; fixed by 13ddaf26be32).',
    reference: 'S1',
    kernel: 'v6.7',
    device: SYNC_DEVICE,
    pages: [anon('p0')],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'T1', ops: [{ op: 'read', page: 'p0' }, { op: 'write', page: 'p0' }] },
      { name: 'R', ops: [{ op: 'reclaim', page: 'p0' }] },
    ],
    // The freed-slot read of the loser is the harmless half of S1; leave it out so the search reports the ABA.
    properties: SAFETY_WITHOUT_FREED_READ,
    bounds: BOUNDS,
    expect: expect('fail', 'fail', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'anon-swapcache',
    title: 'S2: the same race on an asynchronous device goes through the swap cache (safe baseline)',
    description:
      'As anon-direct-aba, but the device is not SWP_SYNCHRONOUS_IO, so both faults use the swap cache: ' +
      'HAS_CACHE and the folio lock keep the slot from being reused. No version may fail.',
    reference: 'S2',
    kernel: 'v6.7',
    device: { ...SYNC_DEVICE, synchronous: false },
    pages: [anon('p0')],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'T1', ops: [{ op: 'read', page: 'p0' }, { op: 'write', page: 'p0' }] },
      { name: 'R', ops: [{ op: 'reclaim', page: 'p0' }] },
    ],
    properties: [...PROPERTY_IDS],
    bounds: BOUNDS,
    expect: expect('pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'stale-cache-lookup',
    title: 'S3: a swap-cache lookup result goes stale before the folio is locked',
    description:
      'T0 finds folio F in the swap cache (a reference, no lock). T1 maps F, frees the swap cache (swap is ' +
      'full), zaps the page (MADV_DONTNEED, beside T0\'s fault) and writes a new one, which reclaim swaps ' +
      'out to the same slot. The PTE is bit-identical again, so only the D7 re-check (folio still in the ' +
      'swap cache for this entry) stops T0 from mapping F\'s old data.',
    reference: 'S3',
    kernel: 'v6.7',
    // An asynchronous device keeps every fault on the swap-cache path, where D7 is the only defence.
    device: { ...SYNC_DEVICE, synchronous: false, slots: 1, swapFull: true },
    pages: [anon('p0', { cached: true })],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'T1', ops: [{ op: 'read', page: 'p0' }, { op: 'dontneed', page: 'p0' }, { op: 'write', page: 'p0' }] },
      { name: 'R', ops: [{ op: 'reclaim', page: 'p0' }] },
    ],
    properties: SAFETY_WITHOUT_FREED_READ,
    bounds: BOUNDS,
    expect: expect('pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'shmem-direct-aba',
    title: 'S4: the mapping ABA of a shmem swap-in that skips the swap cache without a pin',
    description:
      'Two readers of one shmem page whose mapping slot holds a swap entry; one installs and writes, and ' +
      'reclaim moves the page back to the same slot. shmem_confirm_swap and the expected-entry check of ' +
      'shmem_add_to_page_cache both pass on E -> folio -> E. Only the Nov 2023 proposal (no pin) fails.',
    reference: 'S4',
    kernel: 'shmem-bypass-2023',
    device: SYNC_DEVICE,
    pages: [{ name: 'idx0', kind: 'shmem', mm: 0, initial: 'swapped', cached: false }],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'idx0' }] },
      { name: 'T1', ops: [{ op: 'read', page: 'idx0' }, { op: 'write', page: 'idx0' }] },
      { name: 'R', ops: [{ op: 'reclaim', page: 'idx0' }] },
    ],
    properties: SAFETY_WITHOUT_FREED_READ,
    bounds: BOUNDS,
    expect: expect('pass', 'pass', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'zswap-exclusive-load',
    title: 'S5: an exclusive zswap load on the direct path leaves the data nowhere',
    description:
      'zswap in front of a synchronous device. A direct swap-in erases the zswap entry when it loads it; a ' +
      'second, unpinned direct reader of the same entry then reads the empty backing slot and may win ' +
      'pte_same() with garbage. The v6.8 pin admits one reader at a time, which closes this interleaving; ' +
      "25cd241408a2 stops the erase. The reference's S5 proper, where the loading fault fails pte_same() " +
      'because its PTE changed while the entry stayed live, is zswap-zap-shared: it fails on v6.8.',
    reference: 'S5',
    kernel: 'v6.7',
    device: { ...SYNC_DEVICE, zswap: true },
    pages: [anon('p0')],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'T1', ops: [{ op: 'read', page: 'p0' }] },
    ],
    properties: SAFETY_WITHOUT_FREED_READ,
    bounds: BOUNDS,
    expect: expect('pass', 'fail', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'zswap-zap-shared',
    title: 'S5: a zap changes the loading fault\'s PTE while a fork child keeps the entry its zswap load erased',
    description:
      'zswap in front of a synchronous device, and an entry shared with a fork child (count 2). MADV_DONTNEED ' +
      'of the parent\'s page (which, unlike munmap, zaps beside the faults) drops one reference while a ' +
      'fault on it is under way, so the fault finds count 1 and skips the swap cache; its zswap load erases ' +
      'the entry, pte_same() then fails and the private copy is dropped, and the child reads an empty slot. ' +
      'The reference\'s S5: 25cd241408a2 (C4, in the model from v6.12) keeps the zswap copy on such a load; ' +
      'before v6.5 no load erased it.',
    reference: 'S5',
    kernel: 'v6.8',
    device: { ...SYNC_DEVICE, zswap: true },
    pages: [anon('p0', { sharedWith: 'c0' }), { name: 'c0', kind: 'anon', mm: 1, initial: 'none', cached: false }],
    threads: [
      { name: 'Z', ops: [{ op: 'dontneed', page: 'p0' }] },
      { name: 'T', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'C', ops: [{ op: 'read', page: 'c0' }] },
    ],
    properties: SAFETY_WITHOUT_FREED_READ,
    bounds: BOUNDS,
    expect: expect('pass', 'fail', 'fail', 'fail', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'swapoff-vs-direct',
    title: 'S6: swapoff completes under a direct swap-in that holds no device reference',
    description:
      'A fault on the direct path races with swapoff. Before 2799e77529c2 nothing stops swapoff from freeing ' +
      'the device while the fault is about to read it; get_swap_device makes swapoff wait.',
    reference: 'S6',
    kernel: 'v5.13',
    device: SYNC_DEVICE,
    pages: [anon('p0')],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'S', ops: [{ op: 'swapoff' }] },
    ],
    properties: ['no-use-after-swapoff', 'no-stale-install', 'no-lost-write', 'swap-count-consistent', 'fault-completes'],
    bounds: BOUNDS,
    expect: expect('fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'direct-pin-retry',
    title: 'S9a: the v6.8 pin loser retries until the winner clears the pin',
    description:
      'Two threads fault on one entry of a synchronous device. From v6.8 the loser of swapcache_prepare ' +
      'sleeps and re-faults until the winner clears the pin; under weak fairness that loop terminates. ' +
      'Before v6.8 both read the slot, and the loser can read it after the winner freed it.',
    reference: 'S9',
    kernel: 'v6.8',
    device: SYNC_DEVICE,
    pages: [anon('p0')],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
      { name: 'T1', ops: [{ op: 'read', page: 'p0' }] },
    ],
    properties: [...PROPERTY_IDS],
    bounds: BOUNDS,
    expect: expect('fail', 'fail', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
  {
    id: 'fork-shared-entry',
    title: 'A forked entry (count 2) never takes the direct path',
    description:
      'Parent and child PTEs share one swap entry, so __swap_count is 2 and both faults go through the swap ' +
      'cache; the parent then writes and copy-on-write keeps the child\'s view. No version may fail.',
    kernel: 'v6.7',
    device: SYNC_DEVICE,
    pages: [anon('p0', { sharedWith: 'c0' }), { name: 'c0', kind: 'anon', mm: 1, initial: 'none', cached: false }],
    threads: [
      { name: 'T0', ops: [{ op: 'read', page: 'p0' }, { op: 'write', page: 'p0' }] },
      { name: 'C', ops: [{ op: 'read', page: 'c0' }] },
    ],
    properties: [...PROPERTY_IDS],
    bounds: BOUNDS,
    expect: expect('pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'),
  },
];

export function findBuiltinScenario(id: string): Scenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.id === id);
}
