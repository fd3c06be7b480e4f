/** Every snippet source, one per kernel function the model's steps anchor to (and the swap_map helpers). */
import { doSwapPage } from './do_swap_page';
import {
  addToSwap, folioAllocSwap, folioEndWriteback, pageout, removeMapping, shrinkFolioList, tryToUnmapOne,
} from './reclaim';
import {
  shmemAddToPageCache, shmemGetFolioGfp, shmemSwapAllocFolio, shmemSwapinFolio, shmemWriteout, swapinNoReadahead,
  swapinPageNonFault,
} from './shmem';
import { readSwapCacheAsync, swapCachePrepareAndAdd, swapinFolio, swapReadFolio } from './swap_cache';
import { putSwapFolio, swapcacheClear, swapFree } from './swap_map';
import { swapoff, tryToUnuse, unusePte, unusePteRange } from './swapoff';
import type { SnippetSource } from './types';
import { copyPteRange, doAnonymousPage, doWpPage, handlePteFault, zapPteRange } from './user_access';

export const SNIPPET_SOURCES: readonly SnippetSource[] = [
  handlePteFault, doSwapPage, doAnonymousPage, doWpPage, copyPteRange, zapPteRange,
  readSwapCacheAsync, swapReadFolio, swapinFolio, swapCachePrepareAndAdd,
  shmemGetFolioGfp, shmemSwapinFolio, shmemSwapAllocFolio, shmemAddToPageCache, shmemWriteout,
  swapinPageNonFault, swapinNoReadahead,
  shrinkFolioList, addToSwap, folioAllocSwap, tryToUnmapOne, pageout, folioEndWriteback, removeMapping,
  swapFree, swapcacheClear, putSwapFolio,
  unusePteRange, unusePte, tryToUnuse, swapoff,
];
