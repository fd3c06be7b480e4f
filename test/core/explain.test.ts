import { strict as assert } from 'assert';
import { checkScenario, findBuiltinScenario, parseSchedule, type Scenario } from '../../src/core';
import { replaySchedule } from '../../src/core/trace/file';
import { explainTrace } from '../../src/core/trace/explain';

describe('explainTrace', () => {
  it('tells the S1 chain for anon-direct-aba on v6.7, each part linked to its step in order', () => {
    const trace = checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7' }).trace!;
    const explanation = explainTrace(trace)!;
    assert.match(explanation.headline, /^no-stale-install: /);
    const texts = explanation.parts.map((p) => p.text).join('\n');
    assert.match(texts, /T[01] read slot 0 into folio \d+ \(value 1\) without holding SWAP_HAS_CACHE: it skipped the swap cache and took no pin on the entry\./);
    assert.match(texts, /freed slot 0/);
    assert.match(texts, /R allocated slot 0 again for p0/);
    assert.match(texts, /wrote value \d+ to p0/);
    assert.match(texts, /pte_same\(\) then compared equal on the reused entry/);
    assert.match(texts, /the newer data is lost/);
    const steps = explanation.parts.map((p) => p.step!);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
    assert.equal(steps[steps.length - 1], trace.violation!.step);
  });

  it('a read records whether its thread held SWAP_HAS_CACHE: not on v6.7\'s direct path, but with v6.8\'s pin and on the swap-cache path', () => {
    const reads = (scenario: string, kernel: string, schedule?: string) => {
      const trace = schedule
        ? replaySchedule(findBuiltinScenario(scenario)!, kernel, parseSchedule(schedule))
        : checkScenario(findBuiltinScenario(scenario)!, { kernel }).trace!;
      return trace.steps.flatMap((step) => (step.events ?? []).filter((e) => e.kind === 'read').map((e) => `${step.stepId} ${(e as { holdsHasCache: boolean }).holdsHasCache}`));
    };
    assert.deepEqual(reads('anon-direct-aba', 'v6.7').slice(0, 1), ['do_swap_page.swap_read false']);
    // T0 alone on v6.8: it pins the entry, then reads it.
    assert.deepEqual(reads('anon-direct-aba', 'v6.8', '0.0.0.0.0.0.0'), ['do_swap_page.swap_read true']);
    // T0 alone on v7.0, which always goes through the swap cache.
    const cached = reads('anon-direct-aba', 'v7.0', '0.0.0.0.0.0.0');
    assert.ok(cached.length > 0 && cached.every((read) => read.endsWith(' true')), cached.join(', '));
  });

  it('explains the shmem mapping ABA through shmem_add_to_page_cache', () => {
    const trace = checkScenario(findBuiltinScenario('shmem-direct-aba')!, { kernel: 'shmem-bypass-2023' }).trace!;
    const texts = explainTrace(trace)!.parts.map((p) => p.text).join('\n');
    assert.match(texts, /T\w* read slot 0 into folio \d+ \(value 1\) without holding SWAP_HAS_CACHE/);
    assert.match(texts, /shmem_add_to_page_cache\(\) then compared equal/);
    assert.match(texts, /allocated slot 0 again for idx0/);
  });

  it('claims no reuse and no newer write where there was none: the exclusive zswap load', () => {
    const trace = checkScenario(findBuiltinScenario('zswap-exclusive-load')!, { kernel: 'v6.7' }).trace!;
    const explanation = explainTrace(trace)!;
    assert.match(explanation.headline, /^no-stale-install: /);
    const texts = explanation.parts.map((p) => p.text).join('\n');
    assert.doesNotMatch(texts, /reused|allocated slot|newer data/);
    assert.match(texts, /compared equal on the same entry/);
    assert.match(texts, /installed folio \d+ \(garbage\) into p0: p0's data is lost\./);
    assert.match(texts, /read slot 0 into folio \d+ \(garbage\): the slot's data was gone\./);
    // Where the data went: the other fault's exclusive load, told before the garbage read.
    const erased = explanation.parts.findIndex((p) => /exclusive zswap load of slot 0 into private folio \d+ erased the zswap copy: the folio held the only one\./.test(p.text));
    const garbage = explanation.parts.findIndex((p) => /\(garbage\): the slot's data was gone/.test(p.text));
    assert.ok(erased >= 0 && erased < garbage, texts);
    assert.notEqual(trace.steps[explanation.parts[erased].step!].thread, trace.steps[explanation.parts[garbage].step!].thread);
  });

  it('S5 as a lost write: names the exclusive load that erased the copy and the check after which its fault dropped it', () => {
    // MADV_DONTNEED zaps the parent's PTE while its fault loads the entry the fork child still names (count 2 -> 1).
    const zapWhileLoading: Scenario = {
      ...findBuiltinScenario('anon-direct-aba')!,
      id: 'zap-while-loading',
      device: { ...findBuiltinScenario('anon-direct-aba')!.device, zswap: true },
      pages: [
        { name: 'p0', kind: 'anon', mm: 0, initial: 'swapped', slot: 0, cached: false, sharedWith: 'c' },
        { name: 'c', kind: 'anon', mm: 1, initial: 'none', cached: false },
      ],
      threads: [
        { name: 'T', ops: [{ op: 'write', page: 'p0' }] },
        { name: 'U', ops: [{ op: 'dontneed', page: 'p0' }] },
      ],
      properties: ['no-lost-write'],
    };
    const trace = checkScenario(zapWhileLoading, { kernel: 'v6.8' }).trace!;
    const explanation = explainTrace(trace)!;
    assert.match(explanation.headline, /^no-lost-write: c would read value garbage/);
    const texts = explanation.parts.map((p) => p.text);
    const erased = texts.findIndex((t) => /^T's exclusive zswap load of slot 0 into private folio \d+ erased the zswap copy/.test(t));
    const backedOut = texts.findIndex((t) => t === "T's pte_same() failed: the fault backed out and dropped that folio.");
    assert.ok(erased >= 0 && backedOut === erased + 1, texts.join('\n'));
    // C4 (v6.12): a load into a folio outside the swap cache no longer erases, so there is nothing to explain.
    assert.equal(checkScenario(zapWhileLoading, { kernel: 'v6.12' }).trace, undefined);
  });

  it('names only loads that may have lost the data: not one whose fault installed its folio, nor one of an earlier life of the slot', () => {
    const base = findBuiltinScenario('anon-direct-aba')!;
    // T reads p1 (slot 1, installed, then freed) before S5 loses c's copy of slot 0.
    const installedFirst: Scenario = {
      ...base,
      id: 'installed-first',
      device: { ...base.device, zswap: true, slots: 3 },
      pages: [
        { name: 'p0', kind: 'anon', mm: 0, initial: 'swapped', slot: 0, cached: false, sharedWith: 'c' },
        { name: 'p1', kind: 'anon', mm: 0, initial: 'swapped', slot: 1, cached: false },
        { name: 'c', kind: 'anon', mm: 1, initial: 'none', cached: false },
      ],
      threads: [
        { name: 'T', ops: [{ op: 'read', page: 'p1' }, { op: 'write', page: 'p0' }] },
        { name: 'U', ops: [{ op: 'dontneed', page: 'p0' }] },
      ],
      properties: ['no-lost-write'],
    };
    let texts = explainTrace(checkScenario(installedFirst, { kernel: 'v6.8', strategy: 'dfs' }).trace!)!.parts.map((p) => p.text);
    assert.deepEqual(texts.filter((t) => /exclusive zswap load/.test(t)).map((t) => t.match(/of slot (\d+)/)![1]), ['0'], texts.join('\n'));
    assert.equal(texts.filter((t) => /backed out/.test(t)).length, 1, texts.join('\n'));
    // R's load of p1 from slot 0 is of the slot's earlier life: it was freed and allocated again for p0.
    const earlierLife: Scenario = {
      ...base,
      id: 'earlier-life',
      device: { ...base.device, zswap: true, slots: 1 },
      pages: [
        { name: 'p0', kind: 'anon', mm: 0, initial: 'present', cached: false },
        { name: 'p1', kind: 'anon', mm: 0, initial: 'swapped', slot: 0, cached: false },
      ],
      threads: [
        { name: 'R', ops: [{ op: 'read', page: 'p1' }, { op: 'reclaim', page: 'p0' }, { op: 'reclaim', page: 'p0' }] },
        { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
        { name: 'T1', ops: [{ op: 'read', page: 'p0' }] },
      ],
      properties: ['no-stale-install'],
    };
    const trace = checkScenario(earlierLife, { kernel: 'v6.7', strategy: 'dfs' }).trace!;
    const parts = explainTrace(trace)!.parts.filter((p) => /exclusive zswap load/.test(p.text));
    assert.deepEqual(parts.map((p) => trace.threads[trace.steps[p.step!].thread].name), ['T0'], parts.map((p) => p.text).join('\n'));
  });

  it('a load into the swap cache erases the zswap copy too, but the folio stays in the cache: no back-out is blamed', () => {
    // v6.7: C's swap-cache fault loads the shared entry and maps it (count 2 -> 1); T, whose lookup missed
    // before C added the folio, then finds count 1, bypasses the cache and reads the erased slot.
    const cachePathFirst: Scenario = {
      ...findBuiltinScenario('zswap-zap-shared')!,
      id: 'cache-path-first',
      threads: [
        { name: 'T', ops: [{ op: 'read', page: 'p0' }] },
        { name: 'C', ops: [{ op: 'read', page: 'c0' }] },
      ],
    };
    const trace = checkScenario(cachePathFirst, { kernel: 'v6.7' }).trace!;
    const texts = explainTrace(trace)!.parts.map((p) => p.text);
    assert.ok(texts.some((t) => /^C's exclusive zswap load of slot 0 into swap-cache folio \d+ erased the zswap copy/.test(t)), texts.join('\n'));
    assert.ok(!texts.some((t) => /^C's .* failed: the fault backed out/.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => /^T read slot 0 into folio \d+ \(garbage\): the slot's data was gone\.$/.test(t)), texts.join('\n'));
  });

  it('S5 proper: the child reads the slot whose zswap copy the parent\'s failed fault erased, though it holds the pin', () => {
    const trace = checkScenario(findBuiltinScenario('zswap-zap-shared')!, { kernel: 'v6.8' }).trace!;
    const texts = explainTrace(trace)!.parts.map((p) => p.text).join('\n');
    assert.match(texts, /^C read slot 0 into folio \d+ \(garbage\): the slot's data was gone\.$/m);
    assert.doesNotMatch(texts, /without owning|reused|newer data/);
    assert.match(texts, /installed folio \d+ \(garbage\) into c0: c0's data is lost\./);
  });

  it('S6: names where the fault was when swapoff freed the device, and that it held no reference', () => {
    const trace = checkScenario(findBuiltinScenario('swapoff-vs-direct')!, { kernel: 'v5.13' }).trace!;
    const explanation = explainTrace(trace)!;
    assert.match(explanation.headline, /^no-use-after-swapoff: /);
    const texts = explanation.parts.map((p) => p.text);
    const user = trace.threads[trace.steps[trace.violation!.step].thread].name;
    const held = texts.findIndex((t) => t.startsWith(`${user} had run handle_pte_fault.orig_pte (`) && t.endsWith(', holding no reference on the device (get_swap_device) to hold swapoff back.'));
    const freed = texts.findIndex((t) => /finished swapoff and freed swap_map and the device's structures\.$/.test(t));
    assert.ok(held >= 0 && freed > held, texts.join('\n'));
    const steps = explanation.parts.map((p) => p.step!);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  });

  it('has nothing to explain for a verified run', () => {
    assert.equal(checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.8' }).trace, undefined);
  });
});
