/**
 * The state table's per-thread `holds` (src/core/trace/view.ts): everything the thread holds, in kernel words,
 * each agreeing with the row of the object it names (PTL owner, folio lock owner, SWAP_HAS_CACHE, si->users,
 * VMA lock readers).
 */
import { strict as assert } from 'assert';
import { buildTrace, builtinScenarios, checkScenario, getBuiltinScenario, KERNEL_IDS, type Trace } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { Machine } from '../../src/core/model/state';
import { findKernel } from '../../src/core/kernels/versions';
import type { Choice } from '../../src/core/trace/schedule';
import type { StateView } from '../../src/core/trace/types';

function violationTrace(scenarioId: string, kernel: string): Trace {
  const trace = checkScenario(getBuiltinScenario(scenarioId)!, { kernel }).trace;
  assert.ok(trace, `${scenarioId} on ${kernel} has a violation trace`);
  return trace;
}

function field(state: StateView, id: string, name: string): string {
  const object = state.objects.find((o) => o.id === id);
  assert.ok(object, `no object ${id}`);
  return object.fields[name];
}

const holds = (trace: Trace, state: number, thread: string): string => field(trace.states[state], `thread:${thread}`, 'holds');

/** A seeded random execution of a scenario on a version, run to the end or until every thread is blocked. */
function randomTrace(scenarioId: string, kernel: string, seed: number): Trace {
  const scenario = getBuiltinScenario(scenarioId)!;
  const program = new Program(scenario, findKernel(kernel)!);
  let state = program.initialState();
  let random = seed;
  const next = () => ((random = (random * 1103515245 + 12345) >>> 0) >>> 8);
  const prefix: Choice[] = [];
  for (let i = 0; i < 400; i++) {
    const options: Choice[] = [];
    for (let t = 0; t < program.threadCount; t++) {
      const branches = program.branches(new Machine(program.layout, state), t);
      for (let branch = 0; branch < branches; branch++) options.push({ thread: t, branch });
    }
    if (options.length === 0) break;
    const choice = options[next() % options.length];
    const m = new Machine(program.layout, state.slice());
    program.execute(m, choice.thread, choice.branch);
    state = m.s;
    prefix.push(choice);
  }
  return buildTrace(scenario, kernel, { prefix }, 'verified');
}

describe('the state table: what each thread holds', function () {
  this.timeout(120_000);

  it('anon-direct-aba on v6.7: the folio lock, then the PTL with si->users and the VMA lock, in kernel words', () => {
    const trace = violationTrace('anon-direct-aba', 'v6.7');
    // After T0's do_swap_page.folio_lock (step 7) folio 0 is locked by T0.
    const locked = trace.steps.findIndex((step) => step.stepId === 'do_swap_page.folio_lock' && trace.threads[step.thread].name === 'T0') + 1;
    assert.equal(field(trace.states[locked], 'folio:0', 'locked'), 'by T0');
    assert.equal(holds(trace, locked, 'T0'), 'VMA lock (p0) for read, si->users (get_swap_device), folio 0 lock');
    // At the last step T0 owns the PTL.
    const last = trace.states.length - 1;
    assert.equal(field(trace.states[last], 'lock:ptl0', 'owner'), 'T0');
    assert.equal(holds(trace, last, 'T0'), 'VMA lock (p0) for read, si->users (get_swap_device), PTL (mm 0)');
  });

  it('reclaim owns SWAP_HAS_CACHE on the slot it allocated, named as such (not "pinned")', () => {
    const trace = violationTrace('anon-direct-aba', 'v6.7');
    const allocated = trace.steps.findIndex((step) => step.stepId === 'add_to_swap.get_swap_pages');
    assert.equal(holds(trace, allocated + 1, 'R'), 'SWAP_HAS_CACHE (slot 0), folio 1 lock');
    assert.equal(field(trace.states[allocated + 1], 'slot:0', 'SWAP_HAS_CACHE'), 'set');
  });

  it('v6.8\'s swapcache_prepare pin is SWAP_HAS_CACHE on the faulting entry; v5.13 faults hold the mmap_lock', () => {
    const pinned = violationTrace('zswap-zap-shared', 'v6.8');
    const pin = pinned.steps.findIndex((step) => step.stepId === 'do_swap_page.swapcache_prepare');
    assert.ok(pin >= 0, pinned.steps.map((s) => s.stepId).join(' '));
    const name = pinned.threads[pinned.steps[pin].thread].name;
    assert.match(holds(pinned, pin + 1, name), /^VMA lock \(\w+\) for read, si->users \(get_swap_device\), SWAP_HAS_CACHE \(slot 0\)$/);
    const old = violationTrace('anon-direct-aba', 'v5.13');
    assert.match(holds(old, 1, 'T0'), /^mmap_lock \(mm 0\) for read$/);
  });

  it('every lock owner, SWAP_HAS_CACHE holder, si->users holder and VMA lock reader of the state table is in its thread\'s holds, and nothing else is', () => {
    let checked = 0;
    const kinds = new Set<string>();
    for (const scenario of builtinScenarios()) {
      for (const kernel of KERNEL_IDS) {
        for (const seed of [1, 2, 3]) {
          const trace = randomTrace(scenario.id, kernel, seed);
          trace.states.forEach((state, i) => {
            const where = `${scenario.id} on ${kernel}, seed ${seed}, state ${i}`;
            const threads = state.objects.filter((o) => o.kind === 'thread');
            const held = new Map(threads.map((o) => [o.label, o.fields.holds === '-' ? [] : o.fields.holds.split(', ')]));
            const expected = new Map(threads.map((o) => [o.label, new Set<string>()]));
            for (const object of state.objects) {
              const ptl = /^lock:ptl(\d+)$/.exec(object.id);
              if (ptl && object.fields.owner !== 'free') expected.get(object.fields.owner)!.add(`PTL (mm ${ptl[1]})`);
              const folio = /^folio:(\d+)$/.exec(object.id);
              const owner = folio && /^by (.+)$/.exec(object.fields.locked);
              if (folio && owner && expected.has(owner[1])) expected.get(owner[1])!.add(`folio ${folio[1]} lock`);
            }
            for (const [thread, names] of held) {
              const locks = names.filter((h) => h.startsWith('PTL') || /^folio \d+ lock$/.test(h));
              assert.deepEqual(locks.sort(), [...expected.get(thread)!].sort(), `${where}: ${thread}`);
              for (const h of names) {
                const slot = /^SWAP_HAS_CACHE \(slot (\d+)\)$/.exec(h);
                if (slot) assert.equal(field(state, `slot:${slot[1]}`, 'SWAP_HAS_CACHE'), 'set', `${where}: ${thread} holds ${h}`);
              }
            }
            const all = [...held.values()].flat();
            for (const h of all) kinds.add(h.replace(/\d+|\(\w+\)/g, '#'));
            const readers = state.objects.filter((o) => o.id.startsWith('lock:vma:')).reduce((n, o) => n + Number(o.fields['held for read by']), 0);
            assert.equal(all.filter((h) => / for read/.test(h)).length, readers, `${where}: VMA lock / mmap_lock readers`);
            const users = Number(/^\d+/.exec(field(state, 'device', 'si->users'))![0]);
            assert.equal(all.filter((h) => h === 'si->users (get_swap_device)').length, users, `${where}: si->users`);
            checked++;
          });
        }
      }
    }
    assert.ok(checked > 1000, `${checked} states checked`);
    // Every kind of hold showed up somewhere.
    assert.deepEqual([...kinds].sort(), [
      'PTL (mm #)',
      'SWAP_HAS_CACHE (slot #)',
      'VMA lock # for read',
      'folio # lock',
      'mmap_lock (mm #) for read (unusing p#)',
      'mmap_lock (mm #) for read',
      'si->users #',
    ].sort());
  });
});
