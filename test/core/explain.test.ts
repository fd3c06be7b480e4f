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
    assert.match(texts, /pte_same\(\) then compared equal/);
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

  it('has nothing to explain for a verified run', () => {
    assert.equal(checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.8' }).trace, undefined);
  });
});
