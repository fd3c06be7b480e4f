import type { SnippetSource } from './types';

/** do_swap_page, reference §2 (D0-D20), §5 (C2, C5-C7) and §8 (C14, C15). */
export const doSwapPage: SnippetSource = {
  fn: 'do_swap_page',
  file: 'mm/memory.c',
  reference: '§2 D0-D20, §5, §8',
  variants: [
    {
      since: 'v5.13',
      commits: ['0bcac06f27d7 mm, swap: skip swapcache for swapin of synchronous device (the direct path, no pin)'],
      body: `
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
    /* D0: vmf->orig_pte was read by handle_pte_fault() without the PTL */
    entry = pte_to_swp_entry(vmf->orig_pte);        /* D1: migration, device and marker entries go elsewhere */
    si = swp_swap_info(entry);                      /* D2: no get_swap_device() yet: swapoff does not wait for us */

    folio = swap_cache_get_folio(entry, vma, addr); /* step: do_swap_page.swap_cache_lookup [no lock] a hit takes a reference only */
    swapcache = folio;
    if (!folio) {
        if ((si->flags & SWP_SYNCHRONOUS_IO) &&
            __swap_count(entry) == 1) {             /* step: do_swap_page.swap_count_check [no lock] racy read of swap_map */
            /* D4b: skip the swap cache; nothing pins the slot from here to pte_same() */
            folio = vma_alloc_folio(vma, addr);     /* step: do_swap_page.alloc_folio [private folio, never in the swap cache] */
            folio->swap = entry;
            swap_read_folio(folio, true);           /* step: do_swap_page.swap_read [no lock on the slot] synchronous read */
            folio->swap.val = 0;
        } else {
            folio = swapin_readahead(entry, vmf);   /* D4c: through the swap cache, see __read_swap_cache_async() */
            swapcache = folio;
        }
        if (!folio) {
            /* D5: back out, unless somebody else completed the swap-in */
            vmf->pte = pte_offset_map_lock(vmf);
            if (pte_same(*vmf->pte, vmf->orig_pte)) /* step: do_swap_page.no_folio [PTL] unchanged: VM_FAULT_OOM, retried */
                ret = VM_FAULT_OOM;
            goto unlock;
        }
    }

    ret |= folio_lock_or_retry(folio, vmf);         /* step: do_swap_page.folio_lock [folio lock, held until D17] */
    if (swapcache) {
        /* D7: folio_free_swap() or swapoff may have released the swap cache under us */
        if (!folio_test_swapcache(folio) ||
            folio->swap.val != entry.val)           /* step: do_swap_page.swapcache_recheck [folio lock] */
            goto out_page;                          /* re-fault */
    }

    vmf->pte = pte_offset_map_lock(vmf);            /* D8 [PTL taken] */
    if (!pte_same(*vmf->pte, vmf->orig_pte))        /* step: do_swap_page.pte_same [PTL] the only re-check of the direct path */
        goto out_nomap;

    /* D9-D11: uptodate, exclusive, arch_swap_restore() */
    swap_free(entry);                               /* step: do_swap_page.swap_free [PTL; cluster lock inside] count-- */
    if (should_try_to_free_swap(folio, vma, flags))
        folio_free_swap(folio);                     /* step: do_swap_page.free_swap_cache [PTL, folio lock] leave the swap cache */
    pte = mk_pte(page, vma->vm_page_prot);          /* D14-D15: counters, rmap, soft-dirty and uffd-wp bits */
    set_pte_at(vma->vm_mm, addr, vmf->pte, pte);    /* step: do_swap_page.set_pte [PTL] PTE: swap -> present */
    folio_unlock(folio);                            /* D17 */
unlock:
    pte_unmap_unlock(vmf->pte, vmf->ptl);           /* step: do_swap_page.unlock_ptl [PTL released] */
out:
    return ret;                                     /* a failed fault is simply taken again */
}`,
    },
    {
      since: 'v6.7',
      commits: [
        '2799e77529c2 swap: fix do_swap_page() race with swapoff',
        'zswap exclusive loads (v6.5): a load erases the zswap copy, even on the direct path',
      ],
      body: `
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
    /* D0: vmf->orig_pte was read by handle_pte_fault() without the PTL */
    entry = pte_to_swp_entry(vmf->orig_pte);        /* D1: migration, device and marker entries go elsewhere */
    si = get_swap_device(entry);                    /* step: do_swap_page.get_swap_device [si->users percpu_ref] */
    if (!si)
        goto out;                                   /* swapoff is under way */

    folio = swap_cache_get_folio(entry, vma, addr); /* step: do_swap_page.swap_cache_lookup [no lock] a hit takes a reference only */
    swapcache = folio;
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO) &&
            __swap_count(entry) == 1) {             /* step: do_swap_page.swap_count_check [no lock] racy read of swap_map */
            /* D4b: skip the swap cache; nothing pins the slot from here to pte_same() (the ABA) */
            folio = vma_alloc_folio(vma, addr);     /* step: do_swap_page.alloc_folio [private folio, never in the swap cache] */
            folio->swap = entry;
            swap_readpage(page, true, NULL);        /* step: do_swap_page.swap_read [no lock on the slot] zswap load is exclusive */
            folio->private = NULL;
        } else {
            page = swapin_readahead(entry, vmf);    /* D4c: through the swap cache, see __read_swap_cache_async() */
            swapcache = folio = page_folio(page);
        }
        if (!folio) {
            /* D5: back out, unless somebody else completed the swap-in */
            vmf->pte = pte_offset_map_lock(vmf);
            if (pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.no_folio [PTL] VM_FAULT_OOM, retried */
                ret = VM_FAULT_OOM;
            goto unlock;
        }
    }

    ret |= folio_lock_or_retry(folio, vmf);         /* step: do_swap_page.folio_lock [folio lock, held until D17] */
    if (swapcache) {
        /* D7: folio_free_swap() or swapoff may have released the swap cache under us */
        if (!folio_test_swapcache(folio) ||
            page_swap_entry(page).val != entry.val) /* step: do_swap_page.swapcache_recheck [folio lock] */
            goto out_page;                          /* re-fault */
    }

    vmf->pte = pte_offset_map_lock(vmf);            /* D8 [PTL taken] */
    if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.pte_same [PTL] the only re-check of the direct path */
        goto out_nomap;

    /* D9-D11: uptodate, exclusive (always on the direct path), arch_swap_restore() */
    swap_free(entry);                               /* step: do_swap_page.swap_free [PTL; cluster lock inside] count-- */
    if (should_try_to_free_swap(folio, vma, flags))
        folio_free_swap(folio);                     /* step: do_swap_page.free_swap_cache [PTL, folio lock] leave the swap cache */
    pte = mk_pte(page, vma->vm_page_prot);          /* D14-D15: counters, page_add_anon_rmap() */
    set_pte_at(vma->vm_mm, addr, vmf->pte, pte);    /* step: do_swap_page.set_pte [PTL] PTE: swap -> present */
    folio_unlock(folio);                            /* D17 */
unlock:
    pte_unmap_unlock(vmf->pte, vmf->ptl);           /* step: do_swap_page.unlock_ptl [PTL released] */
out:
    if (si)
        put_swap_device(si);                        /* step: do_swap_page.put_swap_device [drops si->users] */
    return ret;
}`,
    },
    {
      since: 'v6.8',
      commits: ['13ddaf26be32 mm/swap: fix race when skipping swapcache (pin with swapcache_prepare, clear after the PTL)'],
      body: `
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
    bool need_clear_cache = false;

    entry = pte_to_swp_entry(vmf->orig_pte);        /* D1: orig_pte was read without the PTL */
    si = get_swap_device(entry);                    /* step: do_swap_page.get_swap_device [si->users percpu_ref] */
    if (!si)
        goto out;

    folio = swap_cache_get_folio(entry, vma, addr); /* step: do_swap_page.swap_cache_lookup [no lock] a hit takes a reference only */
    swapcache = folio;
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO) &&
            __swap_count(entry) == 1) {             /* step: do_swap_page.swap_count_check [no lock] racy read of swap_map */
            /* C2: pin the slot so no other swap-in can read it and it cannot be freed and reused */
            if (swapcache_prepare(entry)) {         /* step: do_swap_page.swapcache_prepare [cluster lock] set SWAP_HAS_CACHE */
                /* -EEXIST: another thread owns the slot; relax, then re-fault */
                schedule_timeout_uninterruptible(1);    /* step: do_swap_page.pin_busy_wait [no lock] one tick */
                goto out;
            }
            need_clear_cache = true;
            folio = vma_alloc_folio(vma, addr);     /* step: do_swap_page.alloc_folio [private folio; slot pinned] */
            folio->swap = entry;
            swap_readpage(page, true, NULL);        /* step: do_swap_page.swap_read [HAS_CACHE pin] synchronous read */
            folio->private = NULL;
        } else {
            folio = swapin_readahead(entry, vmf);   /* D4c: through the swap cache, see __read_swap_cache_async() */
            swapcache = folio;
        }
        if (!folio) {
            /* D5: back out, unless somebody else completed the swap-in */
            vmf->pte = pte_offset_map_lock(vmf);
            if (pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.no_folio [PTL] VM_FAULT_OOM, retried */
                ret = VM_FAULT_OOM;
            goto unlock;
        }
    }

    ret |= folio_lock_or_retry(folio, vmf);         /* step: do_swap_page.folio_lock [folio lock, held until D17] */
    if (swapcache) {
        if (!folio_test_swapcache(folio) ||
            page_swap_entry(page).val != entry.val) /* step: do_swap_page.swapcache_recheck [folio lock] D7 */
            goto out_page;
    }

    vmf->pte = pte_offset_map_lock(vmf);            /* D8 [PTL taken] */
    if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.pte_same [PTL] an ABA can no longer pass: the slot is pinned */
        goto out_nomap;

    swap_free(entry);                               /* step: do_swap_page.swap_free [PTL; cluster lock inside] count--, HAS_CACHE stays */
    if (should_try_to_free_swap(folio, vma, flags))
        folio_free_swap(folio);                     /* step: do_swap_page.free_swap_cache [PTL, folio lock] */
    pte = mk_pte(page, vma->vm_page_prot);          /* D14-D15: counters, folio_add_anon_rmap_pte() */
    set_pte_at(vma->vm_mm, addr, vmf->pte, pte);    /* step: do_swap_page.set_pte [PTL] PTE: swap -> present */
    folio_unlock(folio);
unlock:
    pte_unmap_unlock(vmf->pte, vmf->ptl);           /* step: do_swap_page.unlock_ptl [PTL released] */
out:
    /* C2: clear the pin only after the PTL is dropped */
    if (need_clear_cache)
        swapcache_clear(si, entry);                 /* step: do_swap_page.swapcache_clear [cluster lock] the slot is freed if unused */
    if (si)
        put_swap_device(si);                        /* step: do_swap_page.put_swap_device [drops si->users] */
    return ret;
}`,
    },
    {
      since: 'v6.12',
      commits: [
        '01626a182302 mm: avoid unconditional one-tick sleep when swapcache_prepare fails (swapcache_wq)',
        '9f101bef408a / 242d12c98174 nr argument and large-folio swap-in (mTHP is not modelled)',
        '25cd241408a2 mm: zswap: fix data loss on SWP_SYNCHRONOUS_IO devices',
      ],
      body: `
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
    bool need_clear_cache = false;

    entry = pte_to_swp_entry(vmf->orig_pte);        /* D1: orig_pte was read without the PTL */
    si = get_swap_device(entry);                    /* step: do_swap_page.get_swap_device [si->users percpu_ref] */
    if (!si)
        goto out;

    folio = swap_cache_get_folio(entry, vma, addr); /* step: do_swap_page.swap_cache_lookup [no lock] a hit takes a reference only */
    swapcache = folio;
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO) &&
            __swap_count(entry) == 1) {             /* step: do_swap_page.swap_count_check [no lock] racy read of swap_map */
            folio = alloc_swap_folio(vmf);          /* step: do_swap_page.alloc_folio [private folio] (order 0 in the model) */
            nr_pages = folio_nr_pages(folio);
            if (swapcache_prepare(entry, nr_pages)) {   /* step: do_swap_page.swapcache_prepare [cluster lock] pin every sub-entry */
                /* the loser waits until the winner's swapcache_clear() wakes it, or one tick */
                add_wait_queue(&swapcache_wq, &wait);   /* step: do_swap_page.pin_busy_wait [no lock] then re-fault */
                schedule_timeout_uninterruptible(1);
                remove_wait_queue(&swapcache_wq, &wait);
                goto out_page;
            }
            need_clear_cache = true;
            folio->swap = entry;
            swap_read_folio(folio, NULL);           /* step: do_swap_page.swap_read [HAS_CACHE pin] synchronous; zswap keeps its copy */
            folio->private = NULL;
        } else {
            folio = swapin_readahead(entry, vmf);   /* D4c: through the swap cache, see __read_swap_cache_async() */
            swapcache = folio;
        }
        if (!folio) {
            /* D5: back out, unless somebody else completed the swap-in */
            vmf->pte = pte_offset_map_lock(vmf);
            if (pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.no_folio [PTL] VM_FAULT_OOM, retried */
                ret = VM_FAULT_OOM;
            goto unlock;
        }
    }

    ret |= folio_lock_or_retry(folio, vmf);         /* step: do_swap_page.folio_lock [folio lock, held until D17] */
    if (swapcache) {
        if (!folio_test_swapcache(folio) ||
            page_swap_entry(page).val != entry.val) /* step: do_swap_page.swapcache_recheck [folio lock] D7 */
            goto out_page;
    }

    vmf->pte = pte_offset_map_lock(vmf);            /* D8 [PTL taken] */
    if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.pte_same [PTL] (a large folio re-checks all nr PTEs) */
        goto out_nomap;

    swap_free_nr(entry, nr_pages);                  /* step: do_swap_page.swap_free [PTL; cluster lock inside] count-- */
    if (should_try_to_free_swap(folio, vma, flags))
        folio_free_swap(folio);                     /* step: do_swap_page.free_swap_cache [PTL, folio lock] */
    pte = mk_pte(page, vma->vm_page_prot);
    set_ptes(vma->vm_mm, addr, vmf->pte, pte, nr_pages); /* step: do_swap_page.set_pte [PTL] PTE: swap -> present */
    folio_unlock(folio);
unlock:
    pte_unmap_unlock(vmf->pte, vmf->ptl);           /* step: do_swap_page.unlock_ptl [PTL released] */
out:
    if (need_clear_cache) {
        swapcache_clear(si, entry, nr_pages);       /* step: do_swap_page.swapcache_clear [cluster lock] after the PTL */
        if (waitqueue_active(&swapcache_wq))
            wake_up(&swapcache_wq);                 /* C7: wake the losers now rather than after their tick */
    }
    if (si)
        put_swap_device(si);                        /* step: do_swap_page.put_swap_device [drops si->users] */
    return ret;
}`,
    },
    {
      since: 'v6.18',
      commits: [
        '8578e0c00dcf mm, swap: use the swap table for the swap cache and switch API',
        'ae38eb210590 mm, swap: always lock and check the swap cache folio before use',
      ],
      body: `
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
    bool need_clear_cache = false;

    entry = pte_to_swp_entry(vmf->orig_pte);        /* D1: orig_pte was read without the PTL */
    si = get_swap_device(entry);                    /* step: do_swap_page.get_swap_device [si->users percpu_ref] */
    if (!si)
        goto out;

    folio = swap_cache_get_folio(entry);            /* step: do_swap_page.swap_cache_lookup [no lock] RCU read of the swap table, a reference only */
    swapcache = folio;
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO) &&
            __swap_count(entry) == 1) {             /* step: do_swap_page.swap_count_check [no lock] the bypass is still there in phase I */
            folio = alloc_swap_folio(vmf);          /* step: do_swap_page.alloc_folio [private folio] */
            nr_pages = folio_nr_pages(folio);
            if (swapcache_prepare(entry, nr_pages)) {   /* step: do_swap_page.swapcache_prepare [cluster lock] set SWAP_HAS_CACHE */
                add_wait_queue(&swapcache_wq, &wait);   /* step: do_swap_page.pin_busy_wait [no lock] then re-fault */
                schedule_timeout_uninterruptible(1);
                remove_wait_queue(&swapcache_wq, &wait);
                goto out_page;
            }
            need_clear_cache = true;
            folio->swap = entry;
            swap_read_folio(folio, NULL);           /* step: do_swap_page.swap_read [HAS_CACHE pin] synchronous read */
            folio->private = NULL;
        } else {
            folio = swapin_readahead(entry, vmf);   /* through the swap cache, see __read_swap_cache_async() */
            swapcache = folio;
        }
        if (!folio) {
            vmf->pte = pte_offset_map_lock(vmf);
            if (pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.no_folio [PTL] VM_FAULT_OOM, retried */
                ret = VM_FAULT_OOM;
            goto unlock;
        }
    }

    ret |= folio_lock_or_retry(folio, vmf);         /* step: do_swap_page.folio_lock [folio lock, held until D17] */
    if (swapcache) {
        /* C14: always lock, then check: locked, in the swap cache, folio->swap == entry */
        if (!folio_matches_swap_entry(folio, entry))    /* step: do_swap_page.swapcache_recheck [folio lock] */
            goto out_page;
        /* the HWPoison check moved here, after the lock */
    }

    vmf->pte = pte_offset_map_lock(vmf);            /* D8 [PTL taken] */
    if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.pte_same [PTL] */
        goto out_nomap;

    swap_free_nr(entry, nr_pages);                  /* step: do_swap_page.swap_free [PTL; cluster lock inside] count-- */
    if (should_try_to_free_swap(folio, vma, flags))
        folio_free_swap(folio);                     /* step: do_swap_page.free_swap_cache [PTL, folio lock; cluster lock for the table] */
    pte = mk_pte(page, vma->vm_page_prot);
    set_ptes(vma->vm_mm, addr, vmf->pte, pte, nr_pages); /* step: do_swap_page.set_pte [PTL] PTE: swap -> present */
    folio_unlock(folio);
unlock:
    pte_unmap_unlock(vmf->pte, vmf->ptl);           /* step: do_swap_page.unlock_ptl [PTL released] */
out:
    if (need_clear_cache) {
        swapcache_clear(si, entry, nr_pages);       /* step: do_swap_page.swapcache_clear [cluster lock] after the PTL */
        if (waitqueue_active(&swapcache_wq))
            wake_up(&swapcache_wq);
    }
    if (si)
        put_swap_device(si);                        /* step: do_swap_page.put_swap_device [drops si->users] */
    return ret;
}`,
    },
    {
      since: 'v7.0',
      commits: [
        'f1879e8a0c60 never bypass the swap cache even for SWP_SYNCHRONOUS_IO',
        '2732acda82c9 use swap cache as the swap in synchronize layer',
        '4b34f1d82c65 free the swap cache after folio is mapped',
        '36976159140b count changes need the folio lock (folio_put_swap)',
      ],
      body: `
vm_fault_t do_swap_page(struct vm_fault *vmf)
{
    entry = pte_to_swp_entry(vmf->orig_pte);        /* D1: orig_pte was read without the PTL */
    si = get_swap_device(entry);                    /* step: do_swap_page.get_swap_device [si->users percpu_ref] */
    if (!si)
        goto out;

    folio = swap_cache_get_folio(entry);            /* step: do_swap_page.swap_cache_lookup [no lock] a reference only */
    swapcache = folio;
    if (!folio) {
        if (data_race(si->flags & SWP_SYNCHRONOUS_IO)) {
            /* no __swap_count() test, no pin: whoever inserts into the swap cache first reads */
            folio = alloc_swap_folio(vmf);
            folio = swapin_folio(entry, folio);     /* see swapin_folio(): our folio, or the one already cached */
        } else {
            folio = swapin_readahead(entry, vmf);
        }
        swapcache = folio;
        if (!folio) {
            vmf->pte = pte_offset_map_lock(vmf);
            if (pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.no_folio [PTL] VM_FAULT_OOM, retried */
                ret = VM_FAULT_OOM;
            goto unlock;
        }
    }

    ret |= folio_lock_or_retry(folio, vmf);         /* step: do_swap_page.folio_lock [folio lock] racing faults all wait here, on one folio */
    if (!folio_matches_swap_entry(folio, entry))    /* step: do_swap_page.swapcache_recheck [folio lock] */
        goto out_page;

    vmf->pte = pte_offset_map_lock(vmf);            /* D8 [PTL taken] */
    if (!pte_same(ptep_get(vmf->pte), vmf->orig_pte)) /* step: do_swap_page.pte_same [PTL] */
        goto out_nomap;

    folio_put_swap(folio, ...);                     /* step: do_swap_page.swap_free [PTL, folio lock; cluster lock inside] count-- */
    pte = mk_pte(page, vma->vm_page_prot);
    set_ptes(vma->vm_mm, addr, vmf->pte, pte, nr_pages); /* step: do_swap_page.set_pte [PTL, folio lock] PTE: swap -> present */
    /* the PTE changed first: a fault that started earlier and now misses the cache fails pte_same() */
    if (should_try_to_free_swap(folio, vma, flags))
        folio_free_swap(folio);                     /* step: do_swap_page.free_swap_cache [PTL, folio lock] always on synchronous devices */
    folio_unlock(folio);
unlock:
    pte_unmap_unlock(vmf->pte, vmf->ptl);           /* step: do_swap_page.unlock_ptl [PTL released] */
out:
    if (si)
        put_swap_device(si);                        /* step: do_swap_page.put_swap_device [drops si->users] */
    return ret;
}`,
    },
  ],
};
