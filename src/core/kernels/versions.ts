/**
 * Kernel versions as data: which variant of each modelled path a version runs, and the commits behind
 * each difference (ids as in `shared/reference/kernel-swapin.md` §0). Large folios (mTHP, C5/C6/C9-C11)
 * are not modelled: every folio is order 0.
 */

export interface KernelFeatures {
  /** C1 (v5.14): do_swap_page / shmem take a `get_swap_device()` reference, so swapoff waits for them. */
  getSwapDevice: boolean;
  /**
   * A fault holds the faulting VMA's lock for read (lock_vma_under_rcu, v6.4) rather than the mm's mmap_lock.
   * The model waits for both alike (each page is its own VMA); this names what a thread holds.
   */
  faultsTakeVmaLock: boolean;
  /**
   * Anonymous swap-in on a SWP_SYNCHRONOUS_IO device with count 1: `unpinned` skips the swap cache
   * with no pin (C0), `pinned` pins the slot with swapcache_prepare first (C2), `none` never skips
   * the cache (C15, swap cache as the only synchronization).
   */
  anonDirect: 'unpinned' | 'pinned' | 'none';
  /** How the loser of a swapcache_prepare race waits before re-faulting: C2's 1-tick sleep, or C7's wait queue. */
  pinBusyWait: 'sleep' | 'waitqueue';
  /**
   * shmem_swapin_folio on a cache miss: `cache` always reads through the swap cache (v6.7),
   * `bypass-unpinned` is the Nov 2023 proposal (patch 18/24, no pin), `direct-pinned` is C8 (v6.14),
   * `none` is C15 (the swap cache only).
   */
  shmemSwapin: 'cache' | 'bypass-unpinned' | 'direct-pinned' | 'none';
  /** Exclusive zswap loads (v6.5): a load into a swap-cache folio erases the zswap entry, the dirty folio being the copy. */
  zswapExclusiveLoads: boolean;
  /** Before C4: a zswap load erases the zswap entry even when the folio bypasses the swap cache. */
  zswapExclusiveOnBypass: boolean;
  /** D7: after locking a swap-cache folio, do_swap_page re-checks folio_test_swapcache and folio->swap. */
  cacheRecheck: boolean;
  /** C14 (v6.18): unuse_pte refuses a folio that no longer matches the entry (folio_matches_swap_entry). */
  unuseMatchCheck: boolean;
  /** The per-CPU `slots_ret` return batch exists, so a freed slot may wait before it can be reused. */
  slotsRet: boolean;
  /** C15: a fault frees the swap cache after mapping on synchronous devices (4b34f1d82c65). */
  freeCacheAfterMap: boolean;
  /** C15: slot allocation inserts the folio into the swap cache in the same critical section (270f095179ff). */
  allocInsertsIntoCache: boolean;
}

export interface KernelVersion {
  id: string;
  title: string;
  /** Commits whose effect this version reflects (and, for historical variants, the proposal). */
  commits: string[];
  /** The version this one is described against, and the features that differ from it. */
  base?: string;
  features: KernelFeatures;
}

const V5_13: KernelFeatures = {
  getSwapDevice: false,
  faultsTakeVmaLock: false,
  anonDirect: 'unpinned',
  pinBusyWait: 'sleep',
  shmemSwapin: 'cache',
  zswapExclusiveLoads: false,
  zswapExclusiveOnBypass: false,
  cacheRecheck: true,
  unuseMatchCheck: false,
  slotsRet: true,
  freeCacheAfterMap: false,
  allocInsertsIntoCache: false,
};

const V6_7: KernelFeatures = { ...V5_13, getSwapDevice: true, faultsTakeVmaLock: true, zswapExclusiveLoads: true, zswapExclusiveOnBypass: true };
const V6_8: KernelFeatures = { ...V6_7, anonDirect: 'pinned' };
const V6_12: KernelFeatures = { ...V6_8, pinBusyWait: 'waitqueue', zswapExclusiveOnBypass: false };
const V6_14: KernelFeatures = { ...V6_12, shmemSwapin: 'direct-pinned', slotsRet: false };
const V6_18: KernelFeatures = { ...V6_14, unuseMatchCheck: true };
const V7_0: KernelFeatures = { ...V6_18, anonDirect: 'none', shmemSwapin: 'none', freeCacheAfterMap: true, allocInsertsIntoCache: true };

export const KERNEL_VERSIONS: readonly KernelVersion[] = [
  {
    id: 'v5.13',
    title: 'v5.13: direct swap-in without get_swap_device',
    commits: ['0bcac06f27d7 mm, swap: skip swapcache for swapin of synchronous device'],
    features: V5_13,
  },
  {
    id: 'v6.7',
    title: 'v6.7: direct swap-in with no pin (the ABA of the Nov 2023 discussion)',
    commits: [
      '0bcac06f27d7 mm, swap: skip swapcache for swapin of synchronous device',
      '2799e77529c2 swap: fix do_swap_page() race with swapoff',
      'zswap exclusive loads (v6.5)',
    ],
    base: 'v5.13',
    features: V6_7,
  },
  {
    id: 'shmem-bypass-2023',
    title: 'v6.7 + the Nov 2023 proposal (patch 18/24): shmem skips the swap cache with no pin',
    commits: ['[PATCH 18/24] mm/swap: introduce a helper non fault swapin (20231119194740.94101-19-ryncsn@gmail.com), not merged'],
    base: 'v6.7',
    features: { ...V6_7, shmemSwapin: 'bypass-unpinned' },
  },
  {
    id: 'v6.8',
    title: 'v6.8: direct swap-in pinned with swapcache_prepare, loser sleeps a tick and re-faults',
    commits: ['13ddaf26be32 mm/swap: fix race when skipping swapcache'],
    base: 'v6.7',
    features: V6_8,
  },
  // slots_ret is still there in v6.12: the 6.12.117 source frees through free_swap_slot(), which parks
  // entries in slots_ret (the reference's "gone by about v6.12-6.13" is early for v6.12). v6.14's
  // put_swap_folio() frees with swap_entry_range_free() under the cluster lock: no batch, as modelled.
  {
    id: 'v6.12',
    title: 'v6.12: the pin loser waits on swapcache_wq; zswap no longer erases on a bypass load',
    commits: [
      '01626a182302 mm: avoid unconditional one-tick sleep when swapcache_prepare fails',
      '25cd241408a2 mm: zswap: fix data loss on SWP_SYNCHRONOUS_IO devices',
    ],
    base: 'v6.8',
    features: V6_12,
  },
  {
    id: 'v6.14',
    title: 'v6.14: shmem skips the swap cache on synchronous devices, pinned from day one',
    commits: ['1dd44c0af4fa mm: shmem: skip swapcache for swapin of synchronous swap device'],
    base: 'v6.12',
    features: V6_14,
  },
  {
    id: 'v6.18',
    title: 'v6.18: swap table phase I, always lock and check the swap-cache folio',
    commits: [
      '8578e0c00dcf mm, swap: use the swap table for the swap cache and switch API',
      'ae38eb210590 mm, swap: always lock and check the swap cache folio before use',
      '0ff67f990bd4 mm, swap: remove swap slot cache',
    ],
    base: 'v6.14',
    features: V6_18,
  },
  // The release tag of the phase II series is unconfirmed (reference §0, C15).
  {
    id: 'v7.0',
    title: 'v7.0: swap table phase II, the swap cache is the only synchronization',
    commits: [
      'f1879e8a0c60 never bypass the swap cache even for SWP_SYNCHRONOUS_IO',
      '4b34f1d82c65 free the swap cache after folio is mapped',
      'c246d236b18b mm/shmem: never bypass the swap cache',
      '2732acda82c9 use swap cache as the swap in synchronize layer',
      '270f095179ff add folio to swap cache directly on allocation',
      'd3852f9692b8 drop the SWAP_HAS_CACHE flag',
    ],
    base: 'v6.18',
    features: V7_0,
  },
];

export function findKernel(id: string): KernelVersion | undefined {
  return KERNEL_VERSIONS.find((k) => k.id === id);
}

export const KERNEL_IDS: readonly string[] = KERNEL_VERSIONS.map((k) => k.id);

/** The features in which a version differs from its base (what "lists which step variants differ" reads). */
export function featureDiff(k: KernelVersion): Partial<KernelFeatures> {
  const base = k.base ? findKernel(k.base) : undefined;
  if (!base) return { ...k.features };
  const diff: Partial<KernelFeatures> = {};
  for (const key of Object.keys(k.features) as (keyof KernelFeatures)[]) {
    if (k.features[key] !== base.features[key]) (diff as Record<string, unknown>)[key] = k.features[key];
  }
  return diff;
}
