import { strict as assert } from 'assert';
import { findBuiltinScenario, findKernel, KERNEL_VERSIONS, type Scenario } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { DEV_WRITEOK, Machine } from '../../src/core/model/state';
import { explore } from './helpers/program';

/** Two swapoffs of the one device while a thread reads a swapped page. */
const scenario: Scenario = {
  ...findBuiltinScenario('anon-direct-aba')!,
  id: 'two-swapoffs',
  threads: [
    { name: 'off1', ops: [{ op: 'swapoff' }] },
    { name: 'off2', ops: [{ op: 'swapoff' }] },
    { name: 'T', ops: [{ op: 'read', page: 'p0' }] },
  ],
};
const [OFF1, OFF2] = [0, 1];
/** From v6.8 on, every fault and swapoff path holds the device (get_swap_device) and the direct path is pinned. */
const PROTECTED = KERNEL_VERSIONS.slice(KERNEL_VERSIONS.findIndex((k) => k.id === 'v6.8'));

describe('a second swapoff gets -EINVAL', () => {
  it('swapoff looks the device up among the SWP_WRITEOK ones only: the second ends at once, changing nothing', () => {
    for (const kernel of KERNEL_VERSIONS) {
      const program = new Program(scenario, kernel);
      const m = new Machine(program.layout, program.initialState());
      program.execute(m, OFF1, 0);
      assert.equal(m.dev(DEV_WRITEOK), 0, kernel.id);
      const before = m.s.slice();
      assert.equal(program.nextStep(m.s, OFF2)?.step.id, 'swapoff.disable', kernel.id);
      program.execute(m, OFF2, 0);
      assert.ok(program.isFinished(m.s, OFF2), `${kernel.id}: the second swapoff is over`);
      const changed = [...m.s].flatMap((byte, i) => (byte !== before[i] ? [i] : []));
      assert.ok(changed.every((i) => i >= program.layout.thread), `${kernel.id}: the device, the pages and the slots are as they were`);
    }
  });

  it('no interleaving of the two and a reader breaks a property, from v6.8 on', () => {
    for (const kernel of PROTECTED) {
      const outcome = explore(new Program(scenario, kernel));
      assert.equal(outcome.verdict, 'verified', kernel.id);
    }
  });

  it('two swapoffs both unusing the device would free it under the other', () => {
    const program = new Program(scenario, findKernel('v6.18')!);
    const disable = program.allSteps().find((step) => step.id === 'swapoff.disable')!;
    const lookupFirst = disable.run;
    // What the model did before: clear SWP_WRITEOK whoever had cleared it already.
    disable.run = (m, c, choice) => {
      m.setDev(DEV_WRITEOK, 1);
      return lookupFirst(m, c, choice);
    };
    const outcome = explore(program);
    assert.equal(outcome.verdict, 'violation');
    assert.equal(outcome.property, 'no-use-after-swapoff');
  });
});
