import { strict as assert } from 'assert';
import { findBuiltinScenario, findKernel, KERNEL_VERSIONS, type Scenario } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { Machine } from '../../src/core/model/state';
import { explore, runUntil } from './helpers/program';

const base = findBuiltinScenario('anon-swapcache')!;

/** A shmem page on an asynchronous device: R swaps it out, S reads it back in. */
const scenario: Scenario = {
  ...base,
  id: 'shmem-writeback',
  pages: [{ name: 's0', kind: 'shmem', mm: 0, initial: 'present', cached: false }],
  threads: [
    { name: 'R', ops: [{ op: 'reclaim', page: 's0' }] },
    { name: 'S', ops: [{ op: 'read', page: 's0' }] },
  ],
};
/** And an anon page that a second reclaim swaps out to whichever slot is free, and a thread reads back. */
const withReuse: Scenario = {
  ...scenario,
  id: 'shmem-writeback-reuse',
  pages: [...scenario.pages, { name: 'p1', kind: 'anon', mm: 0, initial: 'present', cached: false }],
  threads: [...scenario.threads, { name: 'R1', ops: [{ op: 'reclaim', page: 'p1' }] }, { name: 'A', ops: [{ op: 'read', page: 'p1' }] }],
};
const [R, S] = [0, 1];

describe('shmem_swapin_folio waits for writeback (H5)', () => {
  for (const kernel of KERNEL_VERSIONS) {
    it(`${kernel.id}: S stops before H6 while the folio is under writeback, and goes on once the write completed`, () => {
      const program = new Program(scenario, kernel);
      const m = new Machine(program.layout, program.initialState());
      runUntil(program, m, R, 'pageout.end_writeback');
      runUntil(program, m, S, 'shmem_swapin_folio.add_to_page_cache');
      assert.equal(program.branches(m, S), 0, 'S waits while the folio is under writeback');
      program.execute(m, R, 0);
      assert.ok(program.branches(m, S) > 0, 'S goes on once the write completed');
    });
  }

  it('no write lands in a slot after it was freed and reused: every interleaving is safe on every version', () => {
    for (const kernel of KERNEL_VERSIONS) {
      const outcome = explore(new Program(withReuse, kernel));
      assert.equal(outcome.verdict, 'verified', kernel.id);
    }
  });

  it('without the wait, the late write of s0 overwrites p1 in the reused slot', () => {
    const program = new Program(withReuse, findKernel('v6.7')!);
    program.allSteps().find((step) => step.id === 'shmem_swapin_folio.add_to_page_cache')!.enabled = undefined;
    const outcome = explore(program);
    assert.equal(outcome.verdict, 'violation');
    assert.equal(outcome.property, 'no-lost-write');
  });
});
