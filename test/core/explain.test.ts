import { strict as assert } from 'assert';
import { checkScenario, findBuiltinScenario } from '../../src/core';
import { explainTrace } from '../../src/core/trace/explain';

describe('explainTrace', () => {
  it('tells the S1 chain for anon-direct-aba on v6.7, each part linked to its step in order', () => {
    const trace = checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7' }).trace!;
    const explanation = explainTrace(trace)!;
    assert.match(explanation.headline, /^no-stale-install: /);
    const texts = explanation.parts.map((p) => p.text).join('\n');
    assert.match(texts, /T0 read slot 0 into folio \d+ \(value 1\)|T1 read slot 0 into folio \d+ \(value 1\)/);
    assert.match(texts, /freed slot 0/);
    assert.match(texts, /R allocated slot 0 again for p0/);
    assert.match(texts, /wrote value \d+ to p0/);
    assert.match(texts, /pte_same\(\) then compared equal on the reused entry/);
    assert.match(texts, /the newer data is lost/);
    const steps = explanation.parts.map((p) => p.step!);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
    assert.equal(steps[steps.length - 1], trace.violation!.step);
  });

  it('explains the shmem mapping ABA through shmem_add_to_page_cache', () => {
    const trace = checkScenario(findBuiltinScenario('shmem-direct-aba')!, { kernel: 'shmem-bypass-2023' }).trace!;
    const texts = explainTrace(trace)!.parts.map((p) => p.text).join('\n');
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
  });

  it('S5 proper: the child reads the slot whose zswap copy the parent\'s failed fault erased, though it holds the pin', () => {
    const trace = checkScenario(findBuiltinScenario('zswap-zap-shared')!, { kernel: 'v6.8' }).trace!;
    const texts = explainTrace(trace)!.parts.map((p) => p.text).join('\n');
    assert.match(texts, /^C read slot 0 into folio \d+ \(garbage\): the slot's data was gone\.$/m);
    assert.doesNotMatch(texts, /without owning|reused|newer data/);
    assert.match(texts, /installed folio \d+ \(garbage\) into c0: c0's data is lost\./);
  });

  it('has nothing to explain for a verified run', () => {
    assert.equal(checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.8' }).trace, undefined);
  });
});
