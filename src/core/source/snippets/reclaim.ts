import type { SnippetSource } from './types';

/** Reclaim of one folio, reference §4.1 (O1-O6), and the slot allocator of §4.3 and §8. */

export const shrinkFolioList: SnippetSource = {
  fn: 'shrink_folio_list',
  file: 'mm/vmscan.c',
  reference: '§4.1 O1-O6',
  variants: [
    {
      since: 'v5.13',
      commits: ['the anonymous and shmem swap-out of one folio'],
      body: `
static unsigned int shrink_folio_list(struct list_head *folio_list, struct pglist_data *pgdat, ...)
{
    while (!list_empty(folio_list)) {
        folio = lru_to_folio(folio_list);
        if (!folio_trylock(folio))                  /* step: shrink_folio_list.trylock [folio lock, held to O6] a locked folio is skipped */
            goto keep;

        if (folio_test_anon(folio) && folio_test_swapbacked(folio) &&
            !folio_test_swapcache(folio)) {
            if (!add_to_swap(folio))                /* O2: a slot and the swap cache; see add_to_swap() */
                goto activate_locked;
        }
        if (folio_mapped(folio)) {
            try_to_unmap(folio, flags);             /* O3: every PTE becomes swap(E); see try_to_unmap_one() */
            if (folio_mapped(folio))
                goto activate_locked;
        }
        if (folio_test_dirty(folio)) {
            switch (pageout(folio, mapping, &plug)) { /* O4: see pageout(); shmem goes through shmem_writeout() */
            case PAGE_SUCCESS:
                if (folio_test_writeback(folio))
                    goto keep;                      /* asynchronous: unlocked under PG_writeback, found again later */
                if (!folio_trylock(folio))          /* step: shrink_folio_list.relock [folio lock] still a clean swap-cache folio? */
                    goto keep;
                break;
            default:
                goto keep_locked;
            }
        }
        if (!__remove_mapping(mapping, folio, true, sc->target_mem_cgroup)) /* O5: see __remove_mapping() */
            goto keep_locked;
        folio_unlock(folio);
free_it:                                            /* step: shrink_folio_list.free_folio [folio lock dropped] O6 */
        list_add(&folio->lru, &free_folios);
        continue;
keep_locked:
        folio_unlock(folio);
keep:
        list_add(&folio->lru, &ret_folios);
    }
}`,
    },
  ],
};

export const addToSwap: SnippetSource = {
  fn: 'add_to_swap',
  file: 'mm/swap_state.c',
  reference: '§4.1 O2',
  variants: [
    {
      since: 'v5.13',
      commits: ['slot allocation (SWAP_HAS_CACHE set) and swap-cache insertion are two sections'],
      body: `
bool add_to_swap(struct folio *folio)
{
    /* the folio is locked by shrink_folio_list() */
    entry = folio_alloc_swap(folio);                /* O2: swap_map[E] = SWAP_HAS_CACHE, count 0; see folio_alloc_swap() */
    if (!entry.val)
        return false;
    err = add_to_swap_cache(folio, entry,
                            __GFP_HIGH | __GFP_NOMEMALLOC | __GFP_NOWARN, NULL); /* step: add_to_swap.add_to_swap_cache [xa_lock] PG_swapcache, folio->swap = E */
    if (err)
        goto fail;                                  /* put_swap_folio() drops HAS_CACHE */
    folio_mark_dirty(folio);                        /* so pageout() writes it */
    return true;
}`,
    },
    {
      since: 'v7.0',
      commits: ['270f095179ff add folio to swap cache directly on allocation'],
      body: `
/*
 * No separate insertion any more: folio_alloc_swap() allocates the slot and inserts the folio into the
 * swap cache in one cluster-lock section, so "a slot pinned by SWAP_HAS_CACHE but with no cache" is
 * gone. See folio_alloc_swap().
 */`,
    },
  ],
};

export const folioAllocSwap: SnippetSource = {
  fn: 'folio_alloc_swap',
  file: 'mm/swapfile.c',
  reference: '§4.1 O2, §4.3',
  variants: [
    {
      since: 'v5.13',
      commits: ['the per-CPU swap slot cache (mm/swap_slots.c) in front of get_swap_pages()'],
      body: `
swp_entry_t folio_alloc_swap(struct folio *folio)
{
    cache = raw_cpu_ptr(&swp_slots);
    if (check_cache_active() && cache->slots) {
        mutex_lock(&cache->alloc_lock);
        if (cache->nr)                              /* pre-allocated entries, already HAS_CACHE */
            entry = cache->slots[cache->cur++];
        mutex_unlock(&cache->alloc_lock);
        if (entry.val)
            goto out;
    }
    get_swap_pages(1, &entry, 0);                   /* step: add_to_swap.get_swap_pages [cluster lock] swap_map[E] = SWAP_HAS_CACHE */
out:
    return entry;                                   /* a slot freed into slots_ret is not handed out until the batch flush */
}`,
    },
    {
      since: 'v6.14',
      commits: ['0ff67f990bd4 mm, swap: remove swap slot cache (the model drops the slots_ret batch from v6.14)'],
      body: `
int folio_alloc_swap(struct folio *folio, gfp_t gfp)
{
    /* no slot cache: a freed slot can be handed out again at once */
    local_lock(&percpu_swap_cluster.lock);
    if (!swap_alloc_fast(&entry, order))            /* step: add_to_swap.get_swap_pages [cluster lock] swap_map[E] = SWAP_HAS_CACHE */
        swap_alloc_slow(&entry, order);
    local_unlock(&percpu_swap_cluster.lock);
    if (!entry.val)
        return -ENOMEM;
    folio->swap = entry;
    return 0;
}`,
    },
    {
      since: 'v7.0',
      commits: ['270f095179ff add folio to swap cache directly on allocation', 'd3852f9692b8 drop the SWAP_HAS_CACHE flag'],
      body: `
int folio_alloc_swap(struct folio *folio)
{
    local_lock(&percpu_swap_cluster.lock);
    /* [cluster lock] find a free slot and store the folio in its swap-table entry, in one section */
    if (!swap_alloc_fast(folio))                    /* step: add_to_swap.get_swap_pages [cluster lock] the slot is born cached */
        swap_alloc_slow(folio);
    local_unlock(&percpu_swap_cluster.lock);
    if (!folio_test_swapcache(folio))
        return -ENOMEM;
    folio_mark_dirty(folio);
    return 0;
}`,
    },
  ],
};

export const tryToUnmapOne: SnippetSource = {
  fn: 'try_to_unmap_one',
  file: 'mm/rmap.c',
  reference: '§4.1 O3, §4.4',
  variants: [
    {
      since: 'v5.13',
      commits: ['each present PTE of the folio becomes the swap entry'],
      body: `
static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma,
                             unsigned long address, void *arg)
{
    while (page_vma_mapped_walk(&pvmw)) {           /* [PTL of each mapping] */
        pteval = ptep_clear_flush(vma, address, pvmw.pte);
        if (pte_dirty(pteval))
            folio_mark_dirty(folio);
        entry = page_swap_entry(subpage);           /* folio->swap */
        if (swap_duplicate(entry) < 0)              /* count++: 1|HAS_CACHE after the first PTE */
            goto walk_abort;
        if (anon_exclusive && folio_try_share_anon_rmap_pte(folio, subpage))
            goto walk_abort;                        /* undo; the folio stays mapped */
        swp_pte = swp_entry_to_pte(entry);          /* + exclusive, soft-dirty and uffd-wp bits: bit-identical on reuse */
        set_pte_at(mm, address, pvmw.pte, swp_pte); /* step: try_to_unmap.unmap [PTL] PTE: present -> swap(E) */
        folio_remove_rmap_pte(folio, subpage, vma);
        folio_put(folio);
    }
    return ret;
}`,
    },
    {
      since: 'v7.0',
      commits: ['36976159140b count changes need the folio lock (folio_dup_swap)'],
      body: `
static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma,
                             unsigned long address, void *arg)
{
    while (page_vma_mapped_walk(&pvmw)) {           /* [PTL of each mapping; folio lock held by reclaim] */
        pteval = ptep_clear_flush(vma, address, pvmw.pte);
        if (pte_dirty(pteval))
            folio_mark_dirty(folio);
        entry = page_swap_entry(subpage);
        if (folio_dup_swap(folio, subpage) < 0)     /* count++ with the folio locked and in the swap cache */
            goto walk_abort;
        if (anon_exclusive && folio_try_share_anon_rmap_pte(folio, subpage))
            goto walk_abort;
        swp_pte = swp_entry_to_pte(entry);
        set_pte_at(mm, address, pvmw.pte, swp_pte); /* step: try_to_unmap.unmap [PTL] PTE: present -> swap(E) */
        folio_remove_rmap_pte(folio, subpage, vma);
        folio_put(folio);
    }
    return ret;
}`,
    },
  ],
};

export const pageout: SnippetSource = {
  fn: 'pageout',
  file: 'mm/vmscan.c',
  reference: '§4.1 O4',
  variants: [
    {
      since: 'v5.13',
      commits: ['write a dirty swap-cache folio to its slot'],
      body: `
static pageout_t pageout(struct folio *folio, struct address_space *mapping, ...)
{
    /* the folio is locked, in the swap cache, dirty */
    if (!folio_clear_dirty_for_io(folio))
        return PAGE_CLEAN;
    folio_set_reclaim(folio);
    res = swap_writepage(&folio->page, &wbc);       /* step: pageout.swap_writepage [folio lock] zswap_store(), or a bio */
    if (!folio_test_writeback(folio))
        folio_clear_reclaim(folio);                 /* zswap, brd and zram complete before we return */
    /* otherwise PG_writeback is set, the folio unlocked: see folio_end_writeback() */
    return PAGE_SUCCESS;
}`,
    },
  ],
};

export const folioEndWriteback: SnippetSource = {
  fn: 'folio_end_writeback',
  file: 'mm/page_io.c',
  reference: '§4.1 O4',
  variants: [
    {
      since: 'v5.13',
      commits: ['the completion of an asynchronous swap write'],
      body: `
/* the bio completion of swap_writepage() on an asynchronous device */
static void end_swap_bio_write(struct bio *bio)
{
    folio = bio_first_folio_all(bio);
    if (bio->bi_status) {
        folio_mark_dirty(folio);                    /* write error: keep the folio, try again later */
        folio_clear_reclaim(folio);
    }
    folio_end_writeback(folio);                     /* step: pageout.end_writeback [no lock] the slot holds the data; PG_writeback cleared */
    bio_put(bio);
}

/* mm/filemap.c */
void folio_end_writeback(struct folio *folio)
{
    if (folio_test_reclaim(folio)) {
        folio_clear_reclaim(folio);
        folio_rotate_reclaimable(folio);            /* to the LRU tail: the next reclaim pass sees it first */
    }
    if (__folio_end_writeback(folio))               /* clear PG_writeback */
        folio_wake_bit(folio, PG_writeback);        /* and wake its waiters */
}`,
    },
  ],
};

export const removeMapping: SnippetSource = {
  fn: '__remove_mapping',
  file: 'mm/vmscan.c',
  reference: '§4.1 O5',
  variants: [
    {
      since: 'v5.13',
      commits: ['the folio leaves the swap cache only if nobody else holds a reference'],
      body: `
static int __remove_mapping(struct address_space *mapping, struct folio *folio,
                            bool reclaimed, struct mem_cgroup *target_memcg)
{
    xa_lock_irq(&mapping->i_pages);                 /* [xa_lock] */
    if (!folio_ref_freeze(folio, 1 + nr))           /* step: __remove_mapping.freeze [xa_lock] fails while a swap-in holds a reference */
        goto cannot_free;
    if (folio_test_dirty(folio)) {
        folio_ref_unfreeze(folio, 1 + nr);
        goto cannot_free;                           /* written again meanwhile */
    }
    swap = folio->swap;
    shadow = workingset_eviction(folio, target_memcg);
    __delete_from_swap_cache(folio, swap, shadow);  /* slot = shadow, PG_swapcache cleared; HAS_CACHE still set */
    xa_unlock_irq(&mapping->i_pages);
    put_swap_folio(folio, swap);                    /* step: __remove_mapping.put_swap_folio [cluster lock] drop HAS_CACHE; free if count 0 */
    return 1;
cannot_free:
    xa_unlock_irq(&mapping->i_pages);
    return 0;
}`,
    },
    {
      since: 'v7.0',
      commits: ['d3852f9692b8 drop the SWAP_HAS_CACHE flag'],
      body: `
static int __remove_mapping(struct address_space *mapping, struct folio *folio,
                            bool reclaimed, struct mem_cgroup *target_memcg)
{
    ci = swap_cluster_get_and_lock_irq(folio);      /* [cluster lock] */
    if (!folio_ref_freeze(folio, 1 + nr))           /* step: __remove_mapping.freeze [cluster lock] fails while a swap-in holds a reference */
        goto cannot_free;
    if (folio_test_dirty(folio)) {
        folio_ref_unfreeze(folio, 1 + nr);
        goto cannot_free;
    }
    shadow = workingset_eviction(folio, target_memcg);
    __swap_cache_del_folio(ci, folio, swap, shadow); /* the table slot holds the shadow; a slot whose count is 0 is freed here too */
    swap_cluster_unlock_irq(ci);
    return 1;
cannot_free:
    swap_cluster_unlock_irq(ci);
    return 0;
}`,
    },
  ],
};
