import type { SnippetSource } from './types';

/** __read_swap_cache_async, reference §3 (R0-R9); the swap table of §8 phase I. */
export const readSwapCacheAsync: SnippetSource = {
  fn: '__read_swap_cache_async',
  file: 'mm/swap_state.c',
  reference: '§3 R0-R9',
  variants: [
    {
      since: 'v5.13',
      commits: ['the SWAP_HAS_CACHE protocol: set before the folio is visible, cleared after it leaves the cache'],
      body: `
struct folio *__read_swap_cache_async(swp_entry_t entry, gfp_t gfp, ..., bool *new_allocated)
{
    si = get_swap_device(entry);                    /* R0 */
    for (;;) {
        folio = swap_cache_get_folio(entry);        /* step: __read_swap_cache_async.lookup [no lock] RCU lookup, a hit is referenced */
        if (folio)
            goto got_folio;                         /* unlocked: the caller locks and re-checks it (D7, H4) */

        if (!swap_swapcount(si, entry) &&
            swap_slot_cache_enabled)                /* step: __read_swap_cache_async.swap_swapcount [no lock] count 0: freed */
            goto fail;

        new = folio_alloc(gfp);                     /* R4: not visible to anyone yet */
        err = swapcache_prepare(entry);             /* step: __read_swap_cache_async.swapcache_prepare [cluster lock] set SWAP_HAS_CACHE */
        if (!err)
            break;                                  /* we own the slot's cache */
        folio_put(new);
        if (err != -EEXIST)
            goto fail;                              /* -ENOENT: the count is 0 */
        /* -EEXIST: another reader set HAS_CACHE but has not added its folio yet,
         * or __delete_from_swap_cache() ran and put_swap_folio() has not yet */
        schedule_timeout_uninterruptible(1);        /* step: __read_swap_cache_async.eexist_sleep [no lock] then look up again */
    }

    __folio_set_locked(new);                        /* R6: locked until the read completes */
    __folio_set_swapbacked(new);
    if (add_to_swap_cache(new, entry, gfp, &shadow)) /* step: __read_swap_cache_async.add_to_swap_cache [xa_lock] PG_swapcache, folio->swap */
        goto fail_unlock;                           /* put_swap_folio() drops HAS_CACHE */
    workingset_refault(new, shadow);                /* R8 */
    folio_add_lru(new);
    *new_allocated = true;
    return new;                                     /* R9: the caller reads it with swap_read_folio() */
}`,
    },
    {
      since: 'v6.18',
      commits: ['8578e0c00dcf mm, swap: use the swap table for the swap cache and switch API'],
      body: `
struct folio *__read_swap_cache_async(swp_entry_t entry, gfp_t gfp, ..., bool *new_allocated)
{
    for (;;) {
        folio = swap_cache_get_folio(entry);        /* step: __read_swap_cache_async.lookup [no lock] RCU read of the cluster's swap table */
        if (folio)
            goto got_folio;                         /* referenced, unlocked: the caller must lock and check it */

        if (!swap_entry_swapped(si, entry))         /* step: __read_swap_cache_async.swap_swapcount [no lock] count 0: freed */
            goto fail;

        new = folio_alloc(gfp);
        err = swapcache_prepare(entry, 1);          /* step: __read_swap_cache_async.swapcache_prepare [cluster lock] set SWAP_HAS_CACHE */
        if (!err)
            break;
        folio_put(new);
        if (err != -EEXIST)
            goto fail;
        schedule_timeout_uninterruptible(1);        /* step: __read_swap_cache_async.eexist_sleep [no lock] then look up again */
    }

    __folio_set_locked(new);
    __folio_set_swapbacked(new);
    swap_cache_add_folio(new, entry, &shadow);      /* step: __read_swap_cache_async.add_to_swap_cache [cluster lock] the table slot holds the folio */
    workingset_refault(new, shadow);
    folio_add_lru(new);
    *new_allocated = true;
    return new;                                     /* the caller reads it with swap_read_folio() */
}`,
    },
    {
      since: 'v7.0',
      commits: [
        '2732acda82c9 use swap cache as the swap in synchronize layer',
        'd3852f9692b8 drop the SWAP_HAS_CACHE flag',
      ],
      body: `
/*
 * Renamed swap_cache_alloc_folio(). No SWAP_HAS_CACHE bit lock any more: a reader that misses the
 * cache allocates a folio and inserts it with __swap_cache_prepare_and_add(), exactly as swapin_folio()
 * does, and a reader that loses the insertion uses the winner's folio. The model runs every v7.0
 * swap-in through swapin_folio().
 */
struct folio *swap_cache_alloc_folio(swp_entry_t entry, gfp_t gfp, ..., bool *new_allocated)
{
    folio = swap_cache_get_folio(entry);            /* [no lock] a hit is referenced, unlocked */
    if (folio)
        return folio;
    if (!swap_entry_swapped(si, entry))             /* [no lock] count 0: nothing to read */
        return NULL;
    new = folio_alloc(gfp);
    folio = __swap_cache_prepare_and_add(entry, new, gfp, false); /* [cluster lock] insert, or theirs */
    *new_allocated = (folio == new);
    return folio;
}`,
    },
  ],
};

/** swap_read_folio (mm/page_io.c), the read both swap-cache paths end with. */
export const swapReadFolio: SnippetSource = {
  fn: 'swap_read_folio',
  file: 'mm/page_io.c',
  reference: '§3 R9, §8',
  variants: [
    {
      since: 'v5.13',
      commits: ['called swap_readpage() before v6.10'],
      body: `
void swap_read_folio(struct folio *folio, struct swap_iocb **plug) /* step: __read_swap_cache_async.swap_read_folio [folio lock, in the swap cache] */
{
    /* the folio is locked and in the swap cache; folio->swap names the slot */
    if (zswap_load(folio))                          /* a zswap hit; an exclusive load drops the zswap copy and dirties the folio */
        goto finish;
    if (data_race(sis->flags & SWP_SYNCHRONOUS_IO))
        swap_read_folio_bdev_sync(folio, sis);      /* zram, brd: done before we return */
    else
        swap_read_folio_bdev_async(folio, sis);     /* the bio's completion does the rest */
finish:
    folio_mark_uptodate(folio);
    folio_unlock(folio);                            /* whoever waits on the folio lock may now check and map it */
}`,
    },
    {
      since: 'v7.0',
      commits: ['2732acda82c9 use swap cache as the swap in synchronize layer'],
      body: `
void swap_read_folio(struct folio *folio, struct swap_iocb **plug) /* step: swapin_folio.swap_read_folio [folio lock, in the swap cache] */
{
    /* only the thread that inserted the folio into the swap cache reads it */
    if (zswap_load(folio))
        goto finish;
    if (data_race(sis->flags & SWP_SYNCHRONOUS_IO))
        swap_read_folio_bdev_sync(folio, sis);
    else
        swap_read_folio_bdev_async(folio, sis);
finish:
    folio_mark_uptodate(folio);
    folio_unlock(folio);                            /* the raced faults waiting on this folio's lock proceed */
}`,
    },
  ],
};

/** swapin_folio (v7.0, phase II), reference §8: the swap cache as the synchronization of swap-in. */
export const swapinFolio: SnippetSource = {
  fn: 'swapin_folio',
  file: 'mm/swap_state.c',
  reference: '§8 phase II',
  variants: [
    {
      since: 'v7.0',
      commits: [
        '2732acda82c9 use swap cache as the swap in synchronize layer',
        '270f095179ff add folio to swap cache directly on allocation',
      ],
      body: `
struct folio *swapin_folio(swp_entry_t entry, struct folio *folio)
{
    /* "whoever adds a folio into the swap cache first takes care of the real IO" */
    swapcache = __swap_cache_prepare_and_add(entry, folio, gfp, true); /* point: __swap_cache_prepare_and_add [cluster lock] */
    if (swapcache == folio)
        swap_read_folio(folio, NULL);               /* point: swap_read_folio [folio lock] we won: read the slot */
    return swapcache;                               /* we lost: use theirs and wait on its lock */
}`,
    },
  ],
};

export const swapCachePrepareAndAdd: SnippetSource = {
  fn: '__swap_cache_prepare_and_add',
  file: 'mm/swap_state.c',
  reference: '§8 phase II',
  variants: [
    {
      since: 'v7.0',
      commits: [
        '2732acda82c9 use swap cache as the swap in synchronize layer',
        'd3852f9692b8 drop the SWAP_HAS_CACHE flag',
      ],
      body: `
static struct folio *__swap_cache_prepare_and_add(swp_entry_t entry, struct folio *folio, gfp_t gfp, bool charged)
{
    __folio_set_locked(folio);
    __folio_set_swapbacked(folio);
    for (;;) {
        err = swap_cache_add_folio(folio, entry, &shadow);  /* step: swapin_folio.insert [cluster lock] insert, unless a folio is cached */
        if (!err)
            return folio;                           /* ours is in the cache, locked: the caller reads it */
        if (err != -EEXIST)
            return NULL;                            /* the slot's count is 0: nothing to read */
        swapcache = swap_cache_get_folio(entry);    /* someone else's folio is there: use it */
        if (swapcache)
            return swapcache;
    }
}`,
    },
  ],
};
