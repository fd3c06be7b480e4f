import { strict as assert } from 'assert';
import { BUILTIN_SCENARIOS, checkScenario, findBuiltinScenario } from '../../../src/core';
import { anchorLine, snippetFor } from '../../../src/core/source';
import { scenariosThrough, stepsByLine } from '../../../src/core/source/lenses';

describe('source lenses', () => {
  it('counts the scenarios that pass through a function on a version', () => {
    const through = (fn: string, kernel: string) => scenariosThrough(fn, kernel, BUILTIN_SCENARIOS).map((s) => s.id);
    assert.equal(through('do_swap_page', 'v6.8').length, BUILTIN_SCENARIOS.filter((s) => s.pages.some((p) => p.kind === 'anon')).length);
    assert.deepEqual(through('shmem_swapin_folio', 'v6.7'), ['shmem-direct-aba']);
    assert.ok(through('unuse_pte', 'v6.7').includes('swapoff-vs-direct'));
    assert.deepEqual(through('shmem_swap_alloc_folio', 'v6.8'), [], 'v6.8 has no shmem direct path');
    assert.deepEqual(through('shmem_swap_alloc_folio', 'v6.14'), ['shmem-direct-aba']);
  });

  it('places the S1 trace\'s steps on the lines of the v6.7 do_swap_page snippet, marking the violating one', () => {
    const trace = checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7' }).trace!;
    const snippet = snippetFor('do_swap_page', 'v6.7')!;
    const lines = stepsByLine(trace, (stepId) => (stepId.startsWith('do_swap_page.') ? anchorLine(snippet, stepId) : undefined));
    const pteSameLine = anchorLine(snippet, 'do_swap_page.pte_same')!;
    const titles = lines.get(pteSameLine)!.map((s) => s.title);
    assert.ok(titles.some((t) => /^T0 step \d+: pte_same\(\) passes: PTE still swap\(slot 0\)$/.test(t)), titles.join('\n'));
    const setPte = lines.get(anchorLine(snippet, 'do_swap_page.set_pte')!)!;
    assert.ok(setPte.some((s) => s.violating && s.step === trace.violation!.step));
  });
});
