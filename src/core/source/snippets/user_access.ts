import type { SnippetSource } from './types';

/** The accesses and address-space operations that start or race with a swap-in (model: user_access.ts). */

export const handlePteFault: SnippetSource = {
  fn: 'handle_pte_fault',
  file: 'mm/memory.c',
  reference: '§2 D0',
  variants: [
    {
      since: 'v5.13',
      commits: ['the lockless orig_pte read every fault starts from'],
      body: `
static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
    vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
    vmf->orig_pte = ptep_get_lockless(vmf->pte);    /* step: handle_pte_fault.orig_pte [VMA lock or mmap_lock read, held until the fault ends; no PTL] the PTE as this fault saw it */
    if (pte_none(vmf->orig_pte))
        return do_anonymous_page(vmf);              /* empty: a write maps a zeroed folio */
    if (!pte_present(vmf->orig_pte))
        return do_swap_page(vmf);                   /* a swap entry: orig_pte is re-checked only under the PTL */
    if (write && !pte_write(vmf->orig_pte))
        return do_wp_page(vmf);                     /* shared folio: copy on write */
    /* present and writable: the load or store itself needs no lock */
}`,
    },
  ],
};

export const doAnonymousPage: SnippetSource = {
  fn: 'do_anonymous_page',
  file: 'mm/memory.c',
  reference: '§2 (context)',
  variants: [
    {
      since: 'v5.13',
      commits: ['the first write to an empty PTE'],
      body: `
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
    folio = vma_alloc_zeroed_movable_folio(vma, addr);
    entry = mk_pte(&folio->page, vma->vm_page_prot);
    vmf->pte = pte_offset_map_lock(vmf);            /* [PTL taken] */
    if (!pte_none(ptep_get(vmf->pte)))
        goto release;                               /* someone else mapped it first */
    set_pte_at(vma->vm_mm, addr, vmf->pte, entry);  /* step: do_anonymous_page.set_pte [PTL] PTE: none -> present */
    pte_unmap_unlock(vmf->pte, vmf->ptl);
    return 0;                                       /* the access is retried and now hits */
}`,
    },
  ],
};

export const doWpPage: SnippetSource = {
  fn: 'do_wp_page',
  file: 'mm/memory.c',
  reference: '§2 D18',
  variants: [
    {
      since: 'v5.13',
      commits: ['copy on write of a folio another PTE, or the swap cache, still shares'],
      body: `
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
    folio = page_folio(vm_normal_page(vma, addr, vmf->orig_pte));
    if (folio_test_anon(folio) && wp_can_reuse_anon_folio(folio, vma))
        return wp_page_reuse(vmf);                  /* the only user: write in place */
    return wp_page_copy(vmf);                       /* step: do_wp_page.copy [PTL inside] copy, then map the copy */
}`,
    },
  ],
};

export const copyPteRange: SnippetSource = {
  fn: 'copy_pte_range',
  file: 'mm/memory.c',
  reference: '§1 (swap_map count)',
  variants: [
    {
      since: 'v5.13',
      commits: ['fork shares a swap entry: one more reference on the slot'],
      body: `
static int copy_pte_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma, ...)
{
    dst_pte = pte_alloc_map_lock(dst_mm, dst_pmd, addr, &dst_ptl);   /* [child PTL] */
    src_pte = pte_offset_map_nolock(src_mm, src_pmd, addr, &src_ptl);
    spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);                  /* [parent PTL too] */
    do {
        if (!pte_present(ptent)) {
            /* copy_nonpresent_pte(): a swap entry */
            if (swap_duplicate(entry) < 0)          /* step: copy_pte_range.copy [mmap_lock and every VMA lock write; both PTLs; cluster lock inside] count++ */
                return -EIO;
            set_pte_at(dst_mm, addr, dst_pte, pte); /* the child's PTE names the same slot */
            continue;
        }
        copy_present_ptes(...);
    } while (dst_pte++, src_pte++, addr += PAGE_SIZE, addr != end);
}`,
    },
    {
      since: 'v7.0',
      commits: ['36976159140b swap_duplicate() replaced by swap_dup_entry_direct() for callers holding their own locks'],
      body: `
static int copy_pte_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma, ...)
{
    dst_pte = pte_alloc_map_lock(dst_mm, dst_pmd, addr, &dst_ptl);   /* [child PTL] */
    src_pte = pte_offset_map_nolock(src_mm, src_pmd, addr, &src_ptl);
    spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);                  /* [parent PTL too] */
    do {
        if (!pte_present(ptent)) {
            /* copy_nonpresent_pte(): a swap entry */
            if (swap_dup_entry_direct(entry) < 0)   /* step: copy_pte_range.copy [mmap_lock and every VMA lock write; both PTLs; cluster lock inside] count++ */
                return -EIO;
            set_pte_at(dst_mm, addr, dst_pte, pte);
            continue;
        }
        copy_present_ptes(...);
    } while (dst_pte++, src_pte++, addr += PAGE_SIZE, addr != end);
}`,
    },
  ],
};

export const zapPteRange: SnippetSource = {
  fn: 'zap_pte_range',
  file: 'mm/memory.c',
  reference: '§4.2 free_swap_and_cache',
  variants: [
    {
      since: 'v5.13',
      commits: ['munmap and MADV_DONTNEED drop the PTE and its reference on the slot'],
      body: `
static unsigned long zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, ...)
{
    start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);      /* [PTL taken] */
    do {
        ptent = ptep_get(pte);
        if (pte_present(ptent)) {
            zap_present_pte(...);                   /* drop the folio's mapping */
            continue;
        }
        entry = pte_to_swp_entry(ptent);
        if (!free_swap_and_cache(entry))            /* step: zap_pte_range.zap; step: zap_pte_range.zap_dontneed [PTL (munmap: with the VMA write-locked; MADV_DONTNEED: beside the faults); cluster lock inside] count--, trylock a cache-only folio */
            print_bad_pte(vma, addr, ptent, NULL);
        pte_clear_not_present_full(mm, addr, pte, tlb->fullmm);
    } while (pte++, addr += PAGE_SIZE, addr != end);
    pte_unmap_unlock(start_pte, ptl);
}`,
    },
    {
      since: 'v7.0',
      commits: ['36976159140b free_swap_and_cache() replaced by swap_put_entries_direct()'],
      body: `
static unsigned long zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, ...)
{
    start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);      /* [PTL taken] */
    do {
        ptent = ptep_get(pte);
        if (pte_present(ptent)) {
            zap_present_ptes(...);
            continue;
        }
        /* zap_nonpresent_ptes(): a swap entry */
        entry = pte_to_swp_entry(ptent);
        swap_put_entries_direct(entry, nr);         /* step: zap_pte_range.zap; step: zap_pte_range.zap_dontneed [PTL (munmap: with the VMA write-locked; MADV_DONTNEED: beside the faults); cluster lock inside] count--, a cache-only slot is reclaimed */
        pte_clear_not_present_full(mm, addr, pte, tlb->fullmm);
    } while (pte++, addr += PAGE_SIZE, addr != end);
    pte_unmap_unlock(start_pte, ptl);
}`,
    },
  ],
};
