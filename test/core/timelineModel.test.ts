/**
 * The timeline's accesses and conflicts (src/webview/timelineModel.ts) leave out what an allocator only
 * scanned past (`TraceStep.scans`, `Machine.scanBits`), while the trace's `reads` keep the whole
 * footprint that partial-order reduction uses.
 */
import { strict as assert } from 'assert';
import { checkScenario, getBuiltinScenario, type Trace } from '../../src/core';
import { findKernel } from '../../src/core/kernels/versions';
import { allocFolio } from '../../src/core/model/folios';
import { Program } from '../../src/core/model/program';
import { Machine } from '../../src/core/model/state';
import { scannedOnly } from '../../src/core/trace/replay';
import { objectIds } from '../../src/core/trace/view';
import { timelineData } from '../../src/extension/timelineData';
import { buildModel } from '../../src/webview/timelineModel';

function violationTrace(scenarioId: string, kernel: string): Trace {
  const trace = checkScenario(getBuiltinScenario(scenarioId)!, { kernel }).trace;
  assert.ok(trace, `${scenarioId} on ${kernel} has a violation trace`);
  return trace;
}

describe('timeline conflicts leave allocator scans out', function () {
  this.timeout(120_000);

  it('anon-direct-aba on v6.7: T1\'s alloc_folio of folio 1 (step 12) does not conflict with T0\'s use of folio 0', () => {
    const trace = violationTrace('anon-direct-aba', 'v6.7');
    const alloc = trace.steps[11];
    assert.equal(alloc.stepId, 'do_swap_page.alloc_folio');
    assert.equal(trace.threads[alloc.thread].name, 'T1');
    // The footprint (what partial-order reduction counts) still has the scan's read of folio 0.
    assert.deepEqual(alloc.reads, ['folio:0', 'folio:1']);
    assert.deepEqual(alloc.scans, ['folio:0']);

    const model = buildModel(timelineData(trace, { restorable: false }));
    assert.deepEqual([...model.touches[11]], [['folio:1', 'write']]);
    const onFolio0 = (i: number) => model.conflicts[i].filter((c) => c.object === 'folio:0');
    assert.deepEqual(onFolio0(27), [], 'step 28 (T0 set_pte of folio 0)');
    assert.deepEqual(model.conflicts[11], [], 'step 12 conflicts with nothing');
    // Step 28's real conflict stays: reclaim's try_to_unmap wrote the PTE it maps.
    assert.deepEqual(model.conflicts[27], [{ step: 24, object: 'pte:p0', access: 'write' }]);
  });

  it('get_swap_pages\' scan past an in-use slot is no access of it; the slot it allocates is', () => {
    const trace = violationTrace('anon-direct-aba', 'v6.7');
    const i = trace.steps.findIndex((step) => step.stepId === 'add_to_swap.get_swap_pages');
    assert.deepEqual(trace.steps[i].reads, ['device', 'slot:0', 'slot:1']);
    assert.deepEqual(trace.steps[i].scans, ['slot:1']);
    const model = buildModel(timelineData(trace, { restorable: false }));
    assert.deepEqual([...model.touches[i].keys()].sort(), ['slot:0']);
    assert.ok(model.conflicts.every((list) => list.every((c) => !(c.step === i && c.object === 'slot:1'))));
  });

  it('a step that scans past a folio and also uses it keeps the read; the search\'s footprint is unchanged', () => {
    const program = new Program(getBuiltinScenario('anon-direct-aba')!, findKernel('v6.7')!);
    // Folio 0 in use, so an allocation scans past it to folio 1.
    const start = new Machine(program.layout, program.initialState().slice());
    assert.equal(allocFolio(start, 7, 0), 0);

    /** As a trace records a step: what it scanned, and what it read or wrote otherwise. */
    const recording = () => {
      const m = new Machine(program.layout, start.s.slice());
      m.readBits = new Int32Array(program.layout.objectWords);
      m.writeBits = new Int32Array(program.layout.objectWords);
      m.scanBits = new Int32Array(program.layout.objectWords);
      return m;
    };
    const scans = (m: Machine) => objectIds(program, scannedOnly(m.scanBits!, m.readBits!, m.writeBits!));

    const scanOnly = recording();
    assert.equal(allocFolio(scanOnly, 0, 1), 1);
    assert.deepEqual(scans(scanOnly), ['folio:0']);

    const alsoUses = recording();
    alsoUses.folioData(0);
    assert.equal(allocFolio(alsoUses, 0, 1), 1);
    assert.deepEqual(scans(alsoUses), []);

    // What the search records: the scan is a read of folio 0 (bit objFolio + 0).
    const searched = new Machine(program.layout, start.s.slice());
    searched.readBits = new Int32Array(program.layout.objectWords);
    allocFolio(searched, 0, 1);
    const bit = program.layout.objFolio;
    assert.notEqual(searched.readBits[bit >> 5] & (1 << (bit & 31)), 0);
  });
});
