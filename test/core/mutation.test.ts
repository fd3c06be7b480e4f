import { strict as assert } from 'assert';
import { findBuiltinScenario, findKernel, type KernelFeatures, type KernelVersion } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { checkSwapCounts } from '../../src/core/model/properties';
import { Machine } from '../../src/core/model/state';
import { exploreReference } from '../../src/core/search/reference';

/** A kernel version with some features changed: the checker must notice what the mutation breaks. */
function mutant(base: string, change: Partial<KernelFeatures>): KernelVersion {
  const kernel = findKernel(base)!;
  return { ...kernel, id: `${base}-mutant`, features: { ...kernel.features, ...change } };
}

function verdict(scenarioId: string, kernel: KernelVersion) {
  const scenario = findBuiltinScenario(scenarioId)!;
  const limits = { maxStates: scenario.bounds.maxStates, maxDepth: scenario.bounds.maxDepth, timeoutMs: scenario.bounds.timeoutMs };
  return exploreReference(new Program(scenario, kernel), new Set(scenario.properties), limits);
}

describe('mutations of the fixes are caught', () => {
  it('v6.8 without the swapcache_prepare pin fails anon-direct-aba with a stale install', () => {
    assert.equal(verdict('anon-direct-aba', findKernel('v6.8')!).verdict, 'verified');
    const broken = verdict('anon-direct-aba', mutant('v6.8', { anonDirect: 'unpinned' }));
    assert.equal(broken.verdict, 'violation');
    assert.equal(broken.property, 'no-stale-install');
  });

  it('v6.14 without the shmem pin fails shmem-direct-aba', () => {
    const broken = verdict('shmem-direct-aba', mutant('v6.14', { shmemSwapin: 'bypass-unpinned' }));
    assert.equal(broken.verdict, 'violation');
    assert.equal(broken.property, 'no-stale-install');
  });

  for (const base of ['v6.7', 'v6.8', 'v6.18']) {
    it(`${base} without the D7 entry re-check of the swap-cache path fails stale-cache-lookup`, () => {
      assert.equal(verdict('stale-cache-lookup', findKernel(base)!).verdict, 'verified');
      const broken = verdict('stale-cache-lookup', mutant(base, { cacheRecheck: false }));
      assert.equal(broken.verdict, 'violation');
      assert.equal(broken.property, 'no-stale-install');
    });
  }

  it('v6.7 without get_swap_device fails swapoff-vs-direct with a use after swapoff', () => {
    const broken = verdict('swapoff-vs-direct', mutant('v6.7', { getSwapDevice: false }));
    assert.equal(broken.verdict, 'violation');
    assert.equal(broken.property, 'no-use-after-swapoff');
  });
});

describe('the swap-count property is not vacuous', () => {
  it('reports a slot whose count disagrees with the PTEs that name it', () => {
    const program = new Program(findBuiltinScenario('anon-direct-aba')!, findKernel('v6.8')!);
    const m = new Machine(program.layout, program.initialState());
    assert.equal(checkSwapCounts(m), undefined);
    m.setCount(0, 2);
    assert.match(checkSwapCounts(m)!.message, /slot 0: count is 2 but 1 page reference/);
  });
});
