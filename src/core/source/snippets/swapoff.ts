import type { SnippetSource } from './types';

/** swapoff, reference §7.1 (U0-U6) and §7.2-7.3 (model: swapoff.ts). */

export const swapoff: SnippetSource = {
  fn: 'swapoff',
  file: 'mm/swapfile.c',
  reference: '§7.1 U0, U5, U6',
  variants: [
    {
      since: 'v5.13',
      commits: ['before 63d8620ecf93 (percpu_ref for swapoff): nothing waits for swap-ins in flight'],
      body: `
SYSCALL_DEFINE1(swapoff, const char __user *, specialfile)
{
    spin_lock(&swap_lock);                          /* the device, among the SWP_WRITEOK ones only: */
    if (!found)
        return -EINVAL;                             /* another swapoff has it, or is done (model: swapoff.disable ends the operation) */
    spin_lock(&p->lock);
    p->flags &= ~SWP_WRITEOK;                       /* step: swapoff.disable [swap_lock, si->lock] no new allocations (U0) */
    spin_unlock(&p->lock);
    spin_unlock(&swap_lock);
    disable_swap_slots_cache_lock();                /* drain the per-CPU slot caches: slots_ret is freed at once */

    err = try_to_unuse(p->type);                    /* U1-U4: see try_to_unuse() */
    reenable_swap_slots_cache_unlock();
    if (err)
        goto out_dput;

    swap_map = p->swap_map;                         /* U6: a direct swap-in still reading the slot is not waited for */
    p->swap_map = NULL;
    vfree(swap_map);                                /* step: swapoff.free_swap_map [swapon_mutex] the device is gone */
    return 0;
}`,
    },
    {
      since: 'v6.7',
      commits: ['63d8620ecf93 swap: fix do_swap_page() race with swapoff (percpu_ref si->users)'],
      body: `
SYSCALL_DEFINE1(swapoff, const char __user *, specialfile)
{
    spin_lock(&swap_lock);                          /* the device, among the SWP_WRITEOK ones only: */
    if (!found)
        return -EINVAL;                             /* another swapoff has it, or is done (model: swapoff.disable ends the operation) */
    spin_lock(&p->lock);
    p->flags &= ~SWP_WRITEOK;                       /* step: swapoff.disable [swap_lock, si->lock] no new allocations (U0) */
    spin_unlock(&p->lock);
    spin_unlock(&swap_lock);
    disable_swap_slots_cache_lock();                /* drain the per-CPU slot caches: slots_ret is freed at once */

    err = try_to_unuse(p->type);                    /* U1-U4: see try_to_unuse() */
    reenable_swap_slots_cache_unlock();
    if (err)
        goto out_dput;

    percpu_ref_kill(&p->users);                     /* step: swapoff.kill_users [no lock] get_swap_device() fails from now on (U5) */
    synchronize_rcu();
    wait_for_completion(&p->comp);                  /* step: swapoff.wait_users [sleeps] until every get_swap_device() holder has put it */

    swap_map = p->swap_map;                         /* U6 */
    p->swap_map = NULL;
    vfree(swap_map);                                /* step: swapoff.free_swap_map [swapon_mutex] the device is gone */
    return 0;
}`,
    },
    {
      since: 'v6.14',
      commits: ['the swap allocator rework (Kairui Song, between v6.12 and v6.14): del_from_avail_list(p, true) clears SWP_WRITEOK'],
      body: `
SYSCALL_DEFINE1(swapoff, const char __user *, specialfile)
{
    spin_lock(&swap_lock);                          /* the device, among the SWP_WRITEOK ones only: */
    if (!found)
        return -EINVAL;                             /* another swapoff has it, or is done (model: swapoff.disable ends the operation) */
    spin_lock(&p->lock);
    del_from_avail_list(p, true);                   /* step: swapoff.disable [swap_lock, si->lock, swap_avail_lock] clears SWP_WRITEOK: no new allocations (U0) */
    spin_unlock(&p->lock);
    spin_unlock(&swap_lock);
    wait_for_allocation(p);                         /* allocations already past the SWP_WRITEOK check finish (the model's allocation is one step) */
    disable_swap_slots_cache_lock();                /* drain the per-CPU slot caches */

    err = try_to_unuse(p->type);                    /* U1-U4: see try_to_unuse() */
    reenable_swap_slots_cache_unlock();
    if (err)
        goto out_dput;

    percpu_ref_kill(&p->users);                     /* step: swapoff.kill_users [no lock] get_swap_device() fails from now on (U5) */
    synchronize_rcu();
    wait_for_completion(&p->comp);                  /* step: swapoff.wait_users [sleeps] until every get_swap_device() holder has put it */

    swap_map = p->swap_map;                         /* U6 */
    p->swap_map = NULL;
    vfree(swap_map);                                /* step: swapoff.free_swap_map [swapon_mutex] the device is gone */
    return 0;
}`,
    },
    {
      since: 'v6.18',
      commits: ['0ff67f990bd4 mm, swap: remove swap slot cache (nothing to drain)'],
      body: `
SYSCALL_DEFINE1(swapoff, const char __user *, specialfile)
{
    spin_lock(&swap_lock);                          /* the device, among the SWP_WRITEOK ones only: */
    if (!found)
        return -EINVAL;                             /* another swapoff has it, or is done (model: swapoff.disable ends the operation) */
    spin_lock(&p->lock);
    del_from_avail_list(p, true);                   /* step: swapoff.disable [swap_lock, si->lock, swap_avail_lock] clears SWP_WRITEOK: no new allocations (U0) */
    spin_unlock(&p->lock);
    spin_unlock(&swap_lock);
    wait_for_allocation(p);

    err = try_to_unuse(p->type);                    /* U1-U4: see try_to_unuse() */
    if (err)
        goto out_dput;

    percpu_ref_kill(&p->users);                     /* step: swapoff.kill_users [no lock] get_swap_device() fails from now on (U5) */
    synchronize_rcu();
    wait_for_completion(&p->comp);                  /* step: swapoff.wait_users [sleeps] until every get_swap_device() holder has put it */
    flush_percpu_swap_cluster(p);

    swap_map = p->swap_map;                         /* U6 */
    p->swap_map = NULL;
    vfree(swap_map);                                /* step: swapoff.free_swap_map [swapon_mutex] the device is gone */
    return 0;
}`,
    },
  ],
};

export const tryToUnuse: SnippetSource = {
  fn: 'try_to_unuse',
  file: 'mm/swapfile.c',
  reference: '§7.1 U1-U4',
  variants: [
    {
      since: 'v5.13',
      commits: ['every reference to the device is swapped in, then the cache-only slots are dropped'],
      body: `
static int try_to_unuse(unsigned int type)
{
retry:
    retval = shmem_unuse(type);                     /* U1: shmem mappings, through the same swap-in steps */
    list_for_each_entry(mm, &init_mm.mmlist, mmlist)
        retval = unuse_mm(mm, type);                /* step: try_to_unuse.next_page [mmap_lock read] U2: each PTE naming the device, see unuse_pte_range() */

    while (READ_ONCE(si->inuse_pages) &&
           (i = find_next_to_unuse(si, i)) != 0) {  /* step: try_to_unuse.next_slot [no lock] U3: a slot still in use, and its cache folio */
        folio = filemap_get_folio(swap_address_space(entry), swp_offset(entry));
        if (IS_ERR(folio))
            continue;
        folio_lock(folio);                          /* step: try_to_unuse.folio_lock [folio lock] */
        folio_wait_writeback(folio);
        folio_free_swap(folio);                     /* step: try_to_unuse.free_swap [folio lock; xa_lock, cluster lock] */
        folio_unlock(folio);
        folio_put(folio);
    }

    if (READ_ONCE(si->inuse_pages)) {               /* step: try_to_unuse.check_inuse [no lock] U4: anything left? start over */
        if (!signal_pending(current))
            goto retry;
        return -EINTR;
    }
    return 0;
}`,
    },
    {
      since: 'v6.14',
      commits: ['the swap allocator rework (Kairui Song, between v6.12 and v6.14): usage is read through swap_usage_in_pages()'],
      body: `
static int try_to_unuse(unsigned int type)
{
retry:
    retval = shmem_unuse(type);                     /* U1: shmem mappings, through the same swap-in steps */
    list_for_each_entry(mm, &init_mm.mmlist, mmlist)
        retval = unuse_mm(mm, type);                /* step: try_to_unuse.next_page [mmap_lock read] U2: each PTE naming the device, see unuse_pte_range() */

    while (swap_usage_in_pages(si) &&
           !signal_pending(current) &&
           (i = find_next_to_unuse(si, i)) != 0) {  /* step: try_to_unuse.next_slot [no lock] U3: a slot still in use, and its cache folio */
        folio = filemap_get_folio(swap_address_space(entry), swap_cache_index(entry));
        if (IS_ERR(folio))
            continue;
        folio_lock(folio);                          /* step: try_to_unuse.folio_lock [folio lock] */
        folio_wait_writeback(folio);
        folio_free_swap(folio);                     /* step: try_to_unuse.free_swap [folio lock; xa_lock, cluster lock] */
        folio_unlock(folio);
        folio_put(folio);
    }

    if (swap_usage_in_pages(si)) {                  /* step: try_to_unuse.check_inuse [no lock] U4: anything left? start over */
        if (!signal_pending(current))
            goto retry;
        return -EINTR;
    }
    return 0;
}`,
    },
    {
      since: 'v6.18',
      commits: ['8578e0c00dcf mm, swap: use the swap table for the swap cache and switch API'],
      body: `
static int try_to_unuse(unsigned int type)
{
retry:
    retval = shmem_unuse(type);                     /* U1: shmem mappings, through the same swap-in steps */
    list_for_each_entry(mm, &init_mm.mmlist, mmlist)
        retval = unuse_mm(mm, type);                /* step: try_to_unuse.next_page [mmap_lock read] U2: each PTE naming the device, see unuse_pte_range() */

    while (swap_usage_in_pages(si) &&
           !signal_pending(current) &&
           (i = find_next_to_unuse(si, i)) != 0) {  /* step: try_to_unuse.next_slot [no lock] U3: a slot still in use, and its cache folio */
        folio = swap_cache_get_folio(entry);
        if (!folio)
            continue;
        folio_lock(folio);                          /* step: try_to_unuse.folio_lock [folio lock] */
        folio_wait_writeback(folio);
        folio_free_swap(folio);                     /* step: try_to_unuse.free_swap [folio lock; swap table] */
        folio_unlock(folio);
        folio_put(folio);
    }

    if (swap_usage_in_pages(si)) {                  /* step: try_to_unuse.check_inuse [no lock] U4: anything left? start over */
        if (!signal_pending(current))
            goto retry;
        return -EINTR;
    }
    return 0;
}`,
    },
  ],
};

export const unusePteRange: SnippetSource = {
  fn: 'unuse_pte_range',
  file: 'mm/swapfile.c',
  reference: '§7.1 (unuse_pte_range, per PTE)',
  variants: [
    {
      since: 'v5.13',
      commits: ['swapoff swaps in through the swap cache with a pseudo vm_fault'],
      body: `
static int unuse_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, unsigned long end,
                           unsigned int type)
{
    do {
        pte = ptep_get_lockless(ptep);              /* [no lock] */
        if (!is_swap_pte(pte) || swp_type(entry) != type)
            continue;
        pte_unmap(ptep);

        folio = swap_cache_get_folio(entry, vma, addr); /* step: unuse_pte_range.swap_cache_lookup [no lock] a reference only */
        if (!folio)
            folio = swapin_readahead(entry, GFP_HIGHUSER_MOVABLE, &vmf); /* pseudo vm_fault -> __read_swap_cache_async() */
        if (!folio) {                               /* step: unuse_pte_range.no_folio [no lock] */
            swp_count = READ_ONCE(si->swap_map[offset]);
            if (swp_count == 0 || swp_count == SWAP_MAP_BAD)
                continue;                           /* freed meanwhile: skip */
            return -ENOMEM;
        }

        folio_lock(folio);                          /* step: unuse_pte_range.folio_lock [folio lock] */
        folio_wait_writeback(folio);
        ret = unuse_pte(vma, pmd, addr, entry, folio); /* see unuse_pte() */
        if (ret < 0)
            goto unlock;
        folio_free_swap(folio);                     /* step: unuse_pte_range.free_swap [folio lock; xa_lock, cluster lock] */
        folio_unlock(folio);
        folio_put(folio);
    } while (addr += PAGE_SIZE, addr != end);
    return 0;
}`,
    },
    {
      since: 'shmem-bypass-2023',
      commits: ['[PATCH 18/24] mm/swap: introduce a helper non fault swapin, not merged: swapoff may bypass the swap cache too'],
      body: `
static int unuse_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, unsigned long end,
                           unsigned int type)
{
    do {
        pte = ptep_get_lockless(ptep);              /* [no lock] */
        if (!is_swap_pte(pte) || swp_type(entry) != type)
            continue;
        pte_unmap(ptep);

        folio = swap_cache_get_folio(entry, vma, addr); /* step: unuse_pte_range.swap_cache_lookup [no lock] a reference only */
        if (!folio)
            folio = swapin_page_non_fault(entry, GFP_HIGHUSER_MOVABLE, mpol, ilx, vma->vm_mm, &result);
                                                    /* the proposal: no pseudo vm_fault; may bypass the cache with no pin */
        if (!folio) {                               /* step: unuse_pte_range.no_folio [no lock] */
            swp_count = READ_ONCE(si->swap_map[offset]);
            if (swp_count == 0 || swp_count == SWAP_MAP_BAD)
                continue;
            return -ENOMEM;
        }

        folio_lock(folio);                          /* step: unuse_pte_range.folio_lock [folio lock] */
        folio_wait_writeback(folio);
        ret = unuse_pte(vma, pmd, addr, entry, folio); /* see unuse_pte() */
        if (ret < 0)
            goto unlock;
        folio_free_swap(folio);                     /* step: unuse_pte_range.free_swap [folio lock] */
        folio_unlock(folio);
        folio_put(folio);
    } while (addr += PAGE_SIZE, addr != end);
    return 0;
}`,
    },
    {
      since: 'v7.0',
      commits: ['2732acda82c9 use swap cache as the swap in synchronize layer'],
      body: `
static int unuse_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, unsigned long end,
                           unsigned int type)
{
    do {
        pte = ptep_get_lockless(ptep);              /* [no lock] */
        if (!is_swap_pte(pte) || swp_type(entry) != type)
            continue;
        pte_unmap(ptep);

        folio = swap_cache_get_folio(entry);        /* step: unuse_pte_range.swap_cache_lookup [no lock] a reference only */
        if (!folio)
            folio = swapin_readahead(entry, GFP_HIGHUSER_MOVABLE, &vmf); /* inserts through __swap_cache_prepare_and_add() */
        if (!folio) {                               /* step: unuse_pte_range.no_folio [no lock] */
            if (!swap_entry_swapped(si, entry))
                continue;
            return -ENOMEM;
        }

        folio_lock(folio);                          /* step: unuse_pte_range.folio_lock [folio lock] */
        folio_wait_writeback(folio);
        ret = unuse_pte(vma, pmd, addr, entry, folio); /* see unuse_pte() */
        if (ret < 0)
            goto unlock;
        folio_free_swap(folio);                     /* step: unuse_pte_range.free_swap [folio lock; cluster lock] */
        folio_unlock(folio);
        folio_put(folio);
    } while (addr += PAGE_SIZE, addr != end);
    return 0;
}`,
    },
  ],
};

export const unusePte: SnippetSource = {
  fn: 'unuse_pte',
  file: 'mm/swapfile.c',
  reference: '§7.1 step 6',
  variants: [
    {
      since: 'v5.13',
      commits: ['install the swapped-in folio where the PTE still names the slot'],
      body: `
static int unuse_pte(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
                     swp_entry_t entry, struct folio *folio)
{
    /* the folio is locked by unuse_pte_range() */
    folio = ksm_might_need_to_copy(folio, vma, addr);
    pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl); /* [PTL taken] */
    if (!pte_same_as_swp(ptep_get(pte), swp_entry_to_pte(entry)))
        goto out;                                   /* the PTE no longer names the slot */
    /* not uptodate, or hwpoisoned: install a poison marker instead */
    folio_add_anon_rmap_pte(folio, page, vma, addr, rmap_flags);
    set_pte_at(vma->vm_mm, addr, pte, pte_mkold(mk_pte(page, vma->vm_page_prot))); /* step: unuse_pte.set_pte [PTL] then swap_free() */
    swap_free(entry);                               /* count-- */
out:
    pte_unmap_unlock(pte, ptl);
    return ret;
}`,
    },
    {
      since: 'v6.18',
      commits: ['ae38eb210590 mm, swap: always lock and check the swap cache folio before use'],
      body: `
static int unuse_pte(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
                     swp_entry_t entry, struct folio *folio)
{
    /* the folio is locked by unuse_pte_range() */
    if (!folio_matches_swap_entry(folio, entry))    /* step: unuse_pte.folio_matches_swap_entry [folio lock] C14 */
        return 0;                                   /* freed or reused under us: look at the PTE again */
    folio = ksm_might_need_to_copy(folio, vma, addr);
    pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl); /* [PTL taken] */
    if (!pte_same_as_swp(ptep_get(pte), swp_entry_to_pte(entry)))
        goto out;
    folio_add_anon_rmap_pte(folio, page, vma, addr, rmap_flags);
    set_pte_at(vma->vm_mm, addr, pte, pte_mkold(mk_pte(page, vma->vm_page_prot))); /* step: unuse_pte.set_pte [PTL] then swap_free() */
    swap_free(entry);
out:
    pte_unmap_unlock(pte, ptl);
    return ret;
}`,
    },
  ],
};
