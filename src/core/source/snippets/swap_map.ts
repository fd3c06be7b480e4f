import type { SnippetSource } from './types';

/**
 * swap_map primitives, reference §1 and §4.2 (model: swap_map.ts). No step anchors here: every caller's
 * step runs one of these inside its own critical section, so the lines carry named points only.
 */

export const swapFree: SnippetSource = {
  fn: 'swap_free',
  file: 'mm/swapfile.c',
  reference: '§1, §4.2',
  variants: [
    {
      since: 'v5.13',
      commits: ['a freed slot may wait in the per-CPU slots_ret batch before it can be reused'],
      body: `
void swap_free(swp_entry_t entry)
{
    p = _swap_info_get(entry);
    if (p)
        __swap_entry_free(p, entry);
}

static unsigned char __swap_entry_free(struct swap_info_struct *p, swp_entry_t entry)
{
    ci = lock_cluster_or_swap_info(p, offset);      /* [cluster lock] */
    usage = __swap_entry_free_locked(p, offset, 1); /* point: count_dec [cluster lock] count-- */
    unlock_cluster_or_swap_info(p, ci);
    if (!usage)                                     /* count 0 and no SWAP_HAS_CACHE: the byte is now SWAP_HAS_CACHE */
        free_swap_slot(entry);                      /* point: free_swap_slot [slots_ret free_lock] parked; allocatable after the flush */
    return usage;
}`,
    },
    {
      since: 'v6.14',
      commits: ['0ff67f990bd4 mm, swap: remove swap slot cache (the model drops slots_ret from v6.14)'],
      body: `
void swap_free_nr(swp_entry_t entry, int nr_pages)
{
    /* swap_free(entry) is swap_free_nr(entry, 1) */
    ci = lock_cluster(si, offset);                  /* [cluster lock] */
    usage = swap_entry_put_locked(si, ci, entry, 1); /* point: count_dec [cluster lock] count-- */
    if (!usage)
        swap_entries_free(si, ci, entry, 1);        /* point: free_swap_slot [cluster lock] allocatable at once */
    unlock_cluster(ci);
}`,
    },
    {
      since: 'v7.0',
      commits: ['36976159140b swap_free() replaced by folio_put_swap() and swap_put_entries_direct()'],
      body: `
/* swap_free() is gone: a holder of the folio lock calls folio_put_swap(), others this: */
void swap_put_entries_direct(swp_entry_t entry, int nr)
{
    ci = swap_cluster_lock(si, offset);             /* [cluster lock] */
    count = swap_entry_put_locked(si, ci, entry, nr); /* point: count_dec [cluster lock] count-- */
    if (!count && !swap_cache_has_folio(ci, offset))
        swap_entries_free(si, ci, entry, nr);       /* point: free_swap_slot [cluster lock] allocatable at once */
    swap_cluster_unlock(ci);
}`,
    },
  ],
};

export const swapcacheClear: SnippetSource = {
  fn: 'swapcache_clear',
  file: 'mm/swapfile.c',
  reference: '§4.2, §5.1',
  variants: [
    {
      since: 'v6.8',
      commits: ['13ddaf26be32 mm/swap: fix race when skipping swapcache'],
      body: `
void swapcache_clear(struct swap_info_struct *si, swp_entry_t entry)
{
    ci = lock_cluster_or_swap_info(si, offset);     /* [cluster lock] */
    usage = __swap_entry_free_locked(si, offset, SWAP_HAS_CACHE); /* point: clear_has_cache [cluster lock] drop the pin */
    unlock_cluster_or_swap_info(si, ci);
    if (!usage)
        free_swap_slot(entry);                      /* point: free_swap_slot nothing left: the slot is freed */
}`,
    },
    {
      since: 'v6.12',
      commits: ['9f101bef408a mm: swap: add nr argument in swapcache_prepare and swapcache_clear'],
      body: `
void swapcache_clear(struct swap_info_struct *si, swp_entry_t entry, int nr)
{
    ci = lock_cluster(si, offset);                  /* [cluster lock] */
    usage = swap_entry_put_locked(si, ci, entry, SWAP_HAS_CACHE); /* point: clear_has_cache [cluster lock] drop the pin of all nr */
    if (!usage)
        swap_entries_free(si, ci, entry, nr);       /* point: free_swap_slot [cluster lock] nothing left: the slot is freed */
    unlock_cluster(ci);
}`,
    },
    {
      since: 'v7.0',
      commits: ['2732acda82c9 use swap cache as the swap in synchronize layer'],
      body: `
/* Removed: with no bypass there is no pin to clear; the swap cache itself synchronizes swap-in. */`,
    },
  ],
};

export const putSwapFolio: SnippetSource = {
  fn: 'put_swap_folio',
  file: 'mm/swapfile.c',
  reference: '§1, §4.1 O5',
  variants: [
    {
      since: 'v5.13',
      commits: ['SWAP_HAS_CACHE is dropped only after the folio has left the swap cache'],
      body: `
void put_swap_folio(struct folio *folio, swp_entry_t entry)
{
    ci = lock_cluster_or_swap_info(si, offset);     /* [cluster lock] */
    usage = __swap_entry_free_locked(si, offset, SWAP_HAS_CACHE); /* point: clear_has_cache [cluster lock] */
    unlock_cluster_or_swap_info(si, ci);
    if (!usage)
        free_swap_slot(entry);                      /* point: free_swap_slot count 0 too: the slot is freed */
}`,
    },
    {
      since: 'v7.0',
      commits: ['d3852f9692b8 drop the SWAP_HAS_CACHE flag'],
      body: `
/*
 * Removed: there is no SWAP_HAS_CACHE to drop. A slot whose count is 0 is freed in the same
 * cluster-lock section that removes its folio from the swap cache (see __remove_mapping()).
 */`,
    },
  ],
};
