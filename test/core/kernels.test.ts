import { strict as assert } from 'assert';
import { KERNEL_VERSIONS, featureDiff, findKernel } from '../../src/core';
import { stepDiff } from '../../src/core/kernels/stepDiff';

describe('kernel versions as data', () => {
  it('has the versions the built-in scenarios need, each naming its commits', () => {
    for (const id of ['v5.13', 'v6.7', 'shmem-bypass-2023', 'v6.8', 'v6.12', 'v6.14', 'v6.18', 'v7.0']) {
      const kernel = findKernel(id);
      assert.ok(kernel, id);
      assert.ok(kernel.commits.length > 0, `${id} names commits`);
    }
  });

  it('every version but the oldest differs from its base in features and in steps', () => {
    for (const kernel of KERNEL_VERSIONS.filter((k) => k.base)) {
      assert.ok(Object.keys(featureDiff(kernel)).length > 0, `${kernel.id} differs from ${kernel.base}`);
      const diff = stepDiff(kernel)!;
      assert.ok(diff.added.length + diff.removed.length + diff.changed.length > 0, `${kernel.id} steps differ from ${kernel.base}`);
    }
  });

  it('v6.8 adds exactly the pin of 13ddaf26be32 to do_swap_page', () => {
    assert.deepEqual(stepDiff(findKernel('v6.8')!)!.added, [
      'do_swap_page.pin_busy_wait', 'do_swap_page.swapcache_clear', 'do_swap_page.swapcache_prepare',
    ]);
  });

  it('v7.0 drops the direct path and the HAS_CACHE dance of __read_swap_cache_async', () => {
    const diff = stepDiff(findKernel('v7.0')!)!;
    assert.ok(diff.removed.includes('do_swap_page.swap_count_check'));
    assert.ok(diff.removed.includes('__read_swap_cache_async.swapcache_prepare'));
    assert.ok(diff.added.includes('swapin_folio.insert'));
  });
});
