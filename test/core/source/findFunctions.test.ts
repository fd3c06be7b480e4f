import assert from 'assert';
import { findFunctionDefinitions } from '../../../src/core/source/findFunctions';

/** The functions these tests look for. */
const NAMES = ['do_swap_page', '__read_swap_cache_async', 'shmem_swapin_folio', 'shrink_folio_list', 'swap_free', 'swapcache_clear', 'unuse_pte'];

describe('findFunctionDefinitions', () => {
  it('finds definitions in kernel style, with the return type on the same or the previous line', () => {
    const text = [
      '#include <linux/mm.h>', // 0
      '', // 1
      'vm_fault_t do_swap_page(struct vm_fault *vmf)', // 2
      '{', // 3
      '\treturn 0;', // 4
      '}', // 5
      'static unsigned int', // 6
      'shrink_folio_list(struct list_head *folio_list,', // 7
      '\t\tstruct pglist_data *pgdat)', // 8
      '{', // 9
      '}', // 10
      'struct folio *__read_swap_cache_async(swp_entry_t entry, void (*cb)(int)) {', // 11
      '}', // 12
    ].join('\n');
    assert.deepStrictEqual(findFunctionDefinitions(text, NAMES), [
      { name: 'do_swap_page', line: 2 },
      { name: 'shrink_folio_list', line: 7 },
      { name: '__read_swap_cache_async', line: 11 },
    ]);
  });

  it('ignores prototypes, calls, macros and other functions', () => {
    const text = [
      'vm_fault_t do_swap_page(struct vm_fault *vmf);',
      '#define swap_free(entry) do { } while (0)',
      'static void caller(void)',
      '{',
      '\tswap_free(entry);',
      '\tif (x) { do_swap_page(vmf); }',
      '}',
      'void do_swap_page_helper(void)',
      '{',
      '}',
    ].join('\n');
    assert.deepStrictEqual(findFunctionDefinitions(text, NAMES), []);
  });
});
