import type { SnippetSource } from './types';

/** shmem swap-in, reference §6 (H0-H8, B1-B4) and §7.2 (the Nov 2023 non-fault helper). */

export const shmemSwapinFolio: SnippetSource = {
  fn: 'shmem_swapin_folio',
  file: 'mm/shmem.c',
  reference: '§6 H0-H8, B1-B4',
  variants: [
    {
      since: 'v5.13',
      commits: ['always through the swap cache; no get_swap_device() before 2efa33fc7f6e (v5.14)'],
      body: `
static int shmem_swapin_folio(struct inode *inode, pgoff_t index, struct folio **foliop, ...)
{
    swap = radix_to_swp_entry(*foliop);             /* H0: the value the caller read from i_pages[index] */

    folio = swap_cache_get_folio(swap, NULL, 0);    /* step: shmem_swapin_folio.swap_cache_lookup [no lock] a reference only */
    if (!folio) {
        folio = shmem_swapin_cluster(swap, gfp, info, index); /* H2: readahead -> __read_swap_cache_async() */
        if (!folio) {
            error = -ENOMEM;
            goto failed;
        }
    }

    folio_lock(folio);                              /* step: shmem_swapin_folio.folio_lock [folio lock] */
    if (!folio_test_swapcache(folio) ||
        folio->swap.val != swap.val ||
        !shmem_confirm_swap(mapping, index, swap)) { /* step: shmem_swapin_folio.recheck [folio lock] + RCU load of i_pages[index] */
        error = -EEXIST;                            /* H4: the caller, shmem_get_folio_gfp(), retries */
        goto unlock;
    }
    folio_wait_writeback(folio);                    /* H5: with the folio locked; in the model, the guard of shmem_add_to_page_cache's step */
    error = shmem_add_to_page_cache(folio, mapping, index,
                                    swp_to_radix_entry(swap), gfp); /* H6: see shmem_add_to_page_cache() */
    if (error)
        goto failed;

    shmem_recalc_inode(inode, 0, -1);
    delete_from_swap_cache(folio);                  /* step: shmem_swapin_folio.delete_from_swap_cache [folio lock; xa_lock] then put_swap_folio() */
    folio_mark_dirty(folio);
    swap_free(swap);                                /* step: shmem_swapin_folio.swap_free [cluster lock] the mapping's reference */
    *foliop = folio;
    return 0;                                       /* still locked: the caller unlocks it */
failed:                                             /* step: shmem_swapin_folio.no_folio H8 */
    if (!shmem_confirm_swap(mapping, index, swap))
        error = -EEXIST;                            /* the mapping changed: retry */
unlock:
    if (folio) {
        folio_unlock(folio);
        folio_put(folio);
    }
    return error;
}`,
    },
    {
      since: 'v6.7',
      commits: ['2efa33fc7f6e shmem_swapin vs swapoff: get_swap_device()'],
      body: `
static int shmem_swapin_folio(struct inode *inode, pgoff_t index, struct folio **foliop, ...)
{
    swap = radix_to_swp_entry(*foliop);             /* H0: the value the caller read from i_pages[index] */
    si = get_swap_device(swap);                     /* step: shmem_swapin_folio.get_swap_device [si->users percpu_ref] */
    if (!si)
        return shmem_confirm_swap(mapping, index, swap) ? -EINVAL : -EEXIST;   /* H1 */

    folio = swap_cache_get_folio(swap, NULL, 0);    /* step: shmem_swapin_folio.swap_cache_lookup [no lock] a reference only */
    if (!folio) {
        folio = shmem_swapin_cluster(swap, gfp, info, index); /* H2: readahead -> __read_swap_cache_async() */
        if (!folio) {
            error = -ENOMEM;
            goto failed;
        }
    }

    folio_lock(folio);                              /* step: shmem_swapin_folio.folio_lock [folio lock] */
    if (!folio_test_swapcache(folio) ||
        folio->swap.val != swap.val ||
        !shmem_confirm_swap(mapping, index, swap)) { /* step: shmem_swapin_folio.recheck [folio lock] + RCU load of i_pages[index] */
        error = -EEXIST;
        goto unlock;
    }
    folio_wait_writeback(folio);                    /* H5: with the folio locked; in the model, the guard of shmem_add_to_page_cache's step */
    error = shmem_add_to_page_cache(folio, mapping, index,
                                    swp_to_radix_entry(swap), gfp); /* H6: see shmem_add_to_page_cache() */
    if (error)
        goto failed;

    shmem_recalc_inode(inode, 0, -1);
    delete_from_swap_cache(folio);                  /* step: shmem_swapin_folio.delete_from_swap_cache [folio lock; xa_lock] then put_swap_folio() */
    folio_mark_dirty(folio);
    swap_free(swap);                                /* step: shmem_swapin_folio.swap_free [cluster lock] the mapping's reference */
    put_swap_device(si);                            /* step: shmem_swapin_folio.put_swap_device [drops si->users] */
    *foliop = folio;
    return 0;                                       /* still locked: the caller unlocks it */
failed:                                             /* step: shmem_swapin_folio.no_folio H8 */
    if (!shmem_confirm_swap(mapping, index, swap))
        error = -EEXIST;
unlock:
    if (folio) {
        folio_unlock(folio);
        folio_put(folio);
    }
    put_swap_device(si);
    return error;
}`,
    },
    {
      since: 'shmem-bypass-2023',
      commits: ['[PATCH 18/24] mm/swap: introduce a helper non fault swapin (20231119194740.94101-19-ryncsn@gmail.com), not merged'],
      body: `
static int shmem_swapin_folio(struct inode *inode, pgoff_t index, struct folio **foliop, ...)
{
    swap = radix_to_swp_entry(*foliop);
    si = get_swap_device(swap);                     /* step: shmem_swapin_folio.get_swap_device [si->users percpu_ref] */
    if (!si)
        return shmem_confirm_swap(mapping, index, swap) ? -EINVAL : -EEXIST;

    folio = swap_cache_get_folio(swap, NULL, 0);    /* step: shmem_swapin_folio.swap_cache_lookup [no lock] a reference only */
    if (!folio) {
        /* the proposal: a count-1 entry on a synchronous device bypasses the swap cache, with NO pin */
        folio = swapin_page_non_fault(swap, gfp, mpol, ilx, fault_mm, &result);
        if (!folio) {
            error = -ENOMEM;
            goto failed;
        }
    }

    folio_lock(folio);                              /* step: shmem_swapin_folio.folio_lock [folio lock; a bypass folio is private] */
    if ((result != SWAP_CACHE_BYPASS && !folio_test_swapcache(folio)) ||
        folio->swap.val != swap.val ||
        !shmem_confirm_swap(mapping, index, swap)) { /* step: shmem_swapin_folio.recheck [folio lock] passes after E -> folio -> E (S4) */
        error = -EEXIST;
        goto unlock;
    }
    folio_wait_writeback(folio);                    /* H5: with the folio locked; in the model, the guard of shmem_add_to_page_cache's step */
    error = shmem_add_to_page_cache(folio, mapping, index,
                                    swp_to_radix_entry(swap), gfp); /* expected == E: the stale folio is installed */
    if (error)
        goto failed;

    if (result != SWAP_CACHE_BYPASS)
        delete_from_swap_cache(folio);              /* step: shmem_swapin_folio.delete_from_swap_cache [folio lock; xa_lock] */
    folio_mark_dirty(folio);
    swap_free(swap);                                /* step: shmem_swapin_folio.swap_free [cluster lock] */
    put_swap_device(si);                            /* step: shmem_swapin_folio.put_swap_device [drops si->users] */
    *foliop = folio;
    return 0;
failed:                                             /* step: shmem_swapin_folio.no_folio */
    if (!shmem_confirm_swap(mapping, index, swap))
        error = -EEXIST;
unlock:
    if (folio) {
        folio_unlock(folio);
        folio_put(folio);
    }
    put_swap_device(si);
    return error;
}`,
    },
    {
      since: 'v6.14',
      commits: ['1dd44c0af4fa mm: shmem: skip swapcache for swapin of synchronous swap device (pinned from day one)'],
      body: `
static int shmem_swapin_folio(struct inode *inode, pgoff_t index, struct folio **foliop, ...)
{
    bool skip_swapcache = false;

    swap = radix_to_swp_entry(*foliop);
    si = get_swap_device(swap);                     /* step: shmem_swapin_folio.get_swap_device [si->users percpu_ref] */
    if (!si)
        return shmem_confirm_swap(mapping, index, swap) ? -EINVAL : -EEXIST;

    folio = swap_cache_get_folio(swap, NULL, 0);    /* step: shmem_swapin_folio.swap_cache_lookup [no lock] a reference only */
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO)) { /* step: shmem_swapin_folio.skip_swapcache_check [no lock] no count test */
            folio = shmem_swap_alloc_folio(inode, vma, index, swap, order, gfp); /* B1-B4: pinned by swapcache_prepare() */
            if (!IS_ERR(folio)) {
                skip_swapcache = true;
                goto alloced;
            }
            error = PTR_ERR(folio);
            if (error == -EEXIST)
                goto failed;                        /* another thread holds the pin: the caller retries */
            /* other errors fall back to the swap cache, order 0 */
        }
        folio = shmem_swapin_cluster(swap, gfp, info, index);
        if (!folio) {
            error = -ENOMEM;
            goto failed;
        }
    }
alloced:
    folio_lock(folio);                              /* step: shmem_swapin_folio.folio_lock [folio lock] */
    if ((!skip_swapcache && !folio_test_swapcache(folio)) ||
        folio->swap.val != swap.val ||
        !shmem_confirm_swap(mapping, index, swap)) { /* step: shmem_swapin_folio.recheck [folio lock] + RCU load of i_pages[index] */
        error = -EEXIST;
        goto unlock;
    }
    folio_wait_writeback(folio);                    /* H5: with the folio locked; in the model, the guard of shmem_add_to_page_cache's step */
    error = shmem_add_to_page_cache(folio, mapping, index,
                                    swp_to_radix_entry(swap), gfp); /* see shmem_add_to_page_cache() */
    if (error)
        goto failed;

    if (skip_swapcache) {
        folio->swap.val = 0;
        swapcache_clear(si, swap, nr_pages);        /* step: shmem_swapin_folio.swapcache_clear [cluster lock] drop the pin before swap_free */
    } else {
        delete_from_swap_cache(folio);              /* step: shmem_swapin_folio.delete_from_swap_cache [folio lock; xa_lock] */
    }
    folio_mark_dirty(folio);
    swap_free_nr(swap, nr_pages);                   /* step: shmem_swapin_folio.swap_free [cluster lock] */
    put_swap_device(si);                            /* step: shmem_swapin_folio.put_swap_device [drops si->users] */
    *foliop = folio;
    return 0;
failed:                                             /* step: shmem_swapin_folio.no_folio */
    if (!shmem_confirm_swap(mapping, index, swap))
        error = -EEXIST;
unlock:
    if (folio)
        folio_unlock(folio);
failed_nolock:
    if (skip_swapcache)
        swapcache_clear(si, folio->swap, nr_pages); /* step: shmem_swapin_folio.failed_swapcache_clear [cluster lock] */
    if (folio)
        folio_put(folio);
    put_swap_device(si);
    return error;
}`,
    },
    {
      since: 'v7.0',
      commits: ['c246d236b18b mm/shmem: never bypass the swap cache'],
      body: `
static int shmem_swapin_folio(struct inode *inode, pgoff_t index, struct folio **foliop, ...)
{
    swap = radix_to_swp_entry(*foliop);
    si = get_swap_device(swap);                     /* step: shmem_swapin_folio.get_swap_device [si->users percpu_ref] */
    if (!si)
        return shmem_confirm_swap(mapping, index, swap) ? -EINVAL : -EEXIST;

    folio = swap_cache_get_folio(swap);             /* step: shmem_swapin_folio.swap_cache_lookup [no lock] a reference only */
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO))
            folio = swapin_folio(swap, shmem_alloc_folio(gfp, order, info, index)); /* the cache is the lock */
        else
            folio = shmem_swapin_cluster(swap, gfp, info, index);
        if (!folio) {
            error = -ENOMEM;
            goto failed;
        }
    }

    folio_lock(folio);                              /* step: shmem_swapin_folio.folio_lock [folio lock] */
    if (!folio_matches_swap_entry(folio, swap) ||
        !shmem_confirm_swap(mapping, index, swap)) { /* step: shmem_swapin_folio.recheck [folio lock] */
        error = -EEXIST;
        goto unlock;
    }
    folio_wait_writeback(folio);                    /* H5: with the folio locked; in the model, the guard of shmem_add_to_page_cache's step */
    error = shmem_add_to_page_cache(folio, mapping, index,
                                    swp_to_radix_entry(swap), gfp); /* see shmem_add_to_page_cache() */
    if (error)
        goto failed;

    swap_cache_del_folio(folio);                    /* step: shmem_swapin_folio.delete_from_swap_cache [folio lock; cluster lock] */
    folio_mark_dirty(folio);
    swap_put_entries_direct(swap, nr_pages);        /* step: shmem_swapin_folio.swap_free [cluster lock] */
    put_swap_device(si);                            /* step: shmem_swapin_folio.put_swap_device [drops si->users] */
    *foliop = folio;
    return 0;
failed:                                             /* step: shmem_swapin_folio.no_folio */
    if (!shmem_confirm_swap(mapping, index, swap))
        error = -EEXIST;
unlock:
    if (folio) {
        folio_unlock(folio);
        folio_put(folio);
    }
    put_swap_device(si);
    return error;
}`,
    },
  ],
};

export const shmemSwapAllocFolio: SnippetSource = {
  fn: 'shmem_swap_alloc_folio',
  file: 'mm/shmem.c',
  reference: '§6.3 B1-B4',
  variants: [
    {
      since: 'v6.14',
      commits: ['1dd44c0af4fa mm: shmem: skip swapcache for swapin of synchronous swap device'],
      body: `
static struct folio *shmem_swap_alloc_folio(struct inode *inode, struct vm_area_struct *vma,
                                            pgoff_t index, swp_entry_t entry, int order, gfp_t gfp)
{
    new = shmem_alloc_folio(gfp, order, info, index); /* B1: private, charged to the memcg */
    if (swapcache_prepare(entry, nr_pages)) {       /* step: shmem_swap_alloc_folio.swapcache_prepare [cluster lock] pin, as C2 */
        folio_put(new);
        return ERR_PTR(-EEXIST);                    /* a racing split of a large entry is caught later by shmem_add_to_page_cache() */
    }
    __folio_set_locked(new);                        /* B3 */
    __folio_set_swapbacked(new);
    new->swap = entry;
    mem_cgroup_swapin_uncharge_swap(entry, nr_pages);
    workingset_refault(new, shadow);
    folio_add_lru(new);
    swap_read_folio(new, NULL);                     /* step: shmem_swap_alloc_folio.swap_read [HAS_CACHE pin] B4: synchronous */
    return new;
}`,
    },
    {
      since: 'v7.0',
      commits: ['c246d236b18b mm/shmem: never bypass the swap cache'],
      body: `
/*
 * Removed: shmem no longer skips the swap cache. A synchronous device allocates a folio and inserts it
 * with swapin_folio(), exactly as do_swap_page() does; see shmem_swapin_folio().
 */`,
    },
  ],
};

export const shmemAddToPageCache: SnippetSource = {
  fn: 'shmem_add_to_page_cache',
  file: 'mm/shmem.c',
  reference: '§6.1 H6',
  variants: [
    {
      since: 'v5.13',
      commits: ['the mapping slot is compared and replaced under xa_lock'],
      body: `
static int shmem_add_to_page_cache(struct folio *folio, struct address_space *mapping,
                                   pgoff_t index, void *expected, gfp_t gfp)
{
    XA_STATE_ORDER(xas, &mapping->i_pages, index, folio_order(folio));

    folio_ref_add(folio, nr);
    folio->mapping = mapping;
    folio->index = index;
    do {
        xas_lock_irq(&xas);                         /* [xa_lock] */
        if (xas_find_conflict(&xas) != expected) {
            xas_set_err(&xas, -EEXIST);             /* the slot no longer holds the swap entry we read */
            goto unlock;
        }
        xas_store(&xas, folio);                     /* step: shmem_swapin_folio.add_to_page_cache [xa_lock] i_pages[index]: entry -> folio */
unlock:
        xas_unlock_irq(&xas);
    } while (xas_nomem(&xas, gfp));
    return xas_error(&xas);                         /* an equal entry after E -> folio -> E passes: the S4 ABA */
}`,
    },
  ],
};

export const shmemGetFolioGfp: SnippetSource = {
  fn: 'shmem_get_folio_gfp',
  file: 'mm/shmem.c',
  reference: '§6.1 (the caller)',
  variants: [
    {
      since: 'v5.13',
      commits: ['the read(2)/write(2) and fault entry to a shmem page'],
      body: `
static int shmem_get_folio_gfp(struct inode *inode, pgoff_t index, struct folio **foliop, ...)
{
repeat:
    folio = filemap_get_entry(mapping, index);      /* step: shmem_get_folio_gfp.lookup [no lock] RCU load of i_pages[index] */
    if (xa_is_value(folio)) {                       /* a swap entry */
        error = shmem_swapin_folio(inode, index, &folio, sgp, gfp, fault_mm, fault_type);
        if (error == -EEXIST)
            goto repeat;                            /* the mapping changed under us */
        *foliop = folio;                            /* locked */
        return error;
    }
    if (folio)
        folio_lock(folio);                          /* a resident folio is accessed under its lock */
    ...
    *foliop = folio;
    return 0;
}

/* the caller (shmem_fault(), shmem_file_read_iter(), ...) is done with the folio: */
    folio_unlock(folio);                            /* step: shmem_swapin_folio.unlock [releases the folio lock] */
    folio_put(folio);`,
    },
  ],
};

export const shmemWriteout: SnippetSource = {
  fn: 'shmem_writeout',
  file: 'mm/shmem.c',
  reference: '§9 S4 (shmem_writeout reuses E)',
  variants: [
    {
      since: 'v5.13',
      commits: ['reclaim of a shmem folio (called shmem_writepage in older kernels)'],
      body: `
int shmem_writeout(struct folio *folio, struct writeback_control *wbc)
{
    /* the folio is locked by shrink_folio_list() */
    swap = folio_alloc_swap(folio);                 /* a slot, SWAP_HAS_CACHE set; see folio_alloc_swap() */
    if (!swap.val)
        goto redirty;
    if (add_to_swap_cache(folio, swap, gfp, NULL) == 0) {   /* [xa_lock] */
        shmem_recalc_inode(inode, 0, nr_pages);
        swap_shmem_alloc(swap, nr_pages);           /* the mapping's reference: count 1 */
        shmem_delete_from_page_cache(folio, swp_to_radix_entry(swap)); /* step: shmem_writeout.move_to_swap [xa_lock] i_pages[index]: folio -> entry */
        swap_writeout(folio, wbc);                  /* see pageout() */
        return 0;
    }
redirty:
    folio_mark_dirty(folio);
    return AOP_WRITEPAGE_ACTIVATE;
}`,
    },
    {
      since: 'v7.0',
      commits: ['270f095179ff add folio to swap cache directly on allocation'],
      body: `
int shmem_writeout(struct folio *folio, struct writeback_control *wbc)
{
    /* the folio is locked by shrink_folio_list() */
    if (folio_alloc_swap(folio))                    /* [cluster lock] a slot, and the folio in the swap cache, in one section */
        goto redirty;
    shmem_recalc_inode(inode, 0, nr_pages);
    folio_dup_swap(folio, NULL);                    /* the mapping's reference, taken with the folio locked in the cache */
    shmem_delete_from_page_cache(folio, swp_to_radix_entry(folio->swap)); /* step: shmem_writeout.move_to_swap [xa_lock] i_pages[index]: folio -> entry */
    swap_writeout(folio, wbc);                      /* see pageout() */
    return 0;
redirty:
    folio_mark_dirty(folio);
    return AOP_WRITEPAGE_ACTIVATE;
}`,
    },
  ],
};

export const swapinPageNonFault: SnippetSource = {
  fn: 'swapin_page_non_fault',
  file: 'mm/swap_state.c',
  reference: '§6.2, §7.2',
  variants: [
    {
      since: 'shmem-bypass-2023',
      commits: ['[PATCH 18/24] mm/swap: introduce a helper non fault swapin (20231119194740.94101-19-ryncsn@gmail.com), not merged'],
      body: `
/* The Nov 2023 proposal, for shmem and swapoff: a swap-in with no vm_fault. Never merged. */
struct folio *swapin_page_non_fault(swp_entry_t entry, gfp_t gfp, struct mempolicy *mpol,
                                    pgoff_t ilx, struct mm_struct *mm, enum swap_cache_result *result)
{
    si = get_swap_device(entry);
    folio = swap_cache_get_folio(entry, NULL, 0);
    if (folio) {
        *result = SWAP_CACHE_HIT;
        goto done;
    }
    if (data_race(si->flags & SWP_SYNCHRONOUS_IO) &&
        __swap_count(entry) == 1) {                 /* step: shmem_swapin_folio.swap_count_check; step: swapin_page_non_fault.swap_count_check [no lock] */
        folio = swapin_no_readahead(entry, gfp, mpol, ilx, mm); /* no swapcache_prepare(): nothing pins the slot */
        *result = SWAP_CACHE_BYPASS;                /* a verdict that "CAN be outdated" (Chris Li) */
    } else {
        folio = swap_cluster_readahead(entry, gfp, mpol, ilx);
        *result = SWAP_CACHE_MISS;
    }
done:
    put_swap_device(si);
    return folio;
}`,
    },
  ],
};

export const swapinNoReadahead: SnippetSource = {
  fn: 'swapin_no_readahead',
  file: 'mm/swap_state.c',
  reference: '§6.2',
  variants: [
    {
      since: 'shmem-bypass-2023',
      commits: ['[PATCH 11/24, 18/24] the bypass read moved out of do_swap_page(), not merged'],
      body: `
/* The Nov 2023 proposal's bypass read: a private folio, never in the swap cache, and no pin. */
static struct folio *swapin_no_readahead(swp_entry_t entry, gfp_t gfp, struct mempolicy *mpol,
                                         pgoff_t ilx, struct mm_struct *mm)
{
    folio = folio_alloc_mpol(gfp, 0, mpol, ilx, numa_node_id());
    __folio_set_locked(folio);
    __folio_set_swapbacked(folio);
    folio->swap = entry;
    swap_read_folio(folio, true, NULL);             /* step: shmem_swapin_folio.bypass_read; step: swapin_page_non_fault.bypass_read [no pin] synchronous */
    folio->private = NULL;
    return folio;
}`,
    },
  ],
};
