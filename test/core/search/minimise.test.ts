import { strict as assert } from 'assert';
import { BUILTIN_SCENARIOS, buildTrace, checkScenario, findKernel, KERNEL_IDS, parseSchedule, type Choice, type Schedule } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine } from '../../../src/core/model/state';
import { minimise, shortestViolation } from '../../../src/core/search/minimise';
import { findStrategy } from '../../../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../../../src/core/search/strategy';
import { assertCycleCloses, withPinNeverCleared } from '../helpers/program';

/** Switches away from a thread that could have gone on. */
function preemptions(program: Program, choices: readonly Choice[]): number {
  const m = new Machine(program.layout, program.initialState());
  let count = 0;
  choices.forEach((c, i) => {
    const last = i > 0 ? choices[i - 1].thread : -1;
    if (last >= 0 && c.thread !== last && program.branches(m, last) > 0) count++;
    program.execute(m, c.thread, c.branch);
  });
  return count;
}

const failing = BUILTIN_SCENARIOS.flatMap((scenario) => KERNEL_IDS.filter((k) => scenario.expect[k] === 'fail').map((kernel) => ({ scenario, kernel })));

describe('minimisation: shortest, then fewest preemptions', function () {
  this.timeout(60_000);

  for (const { scenario, kernel } of failing) {
    it(`${scenario.id} on ${kernel}: as short as breadth-first, no more preemptions, same violation`, () => {
      const program = new Program(scenario, findKernel(kernel)!);
      const props = new Set(scenario.properties);
      const options = { ...DEFAULT_STRATEGY_OPTIONS, symmetry: false };
      const deep = findStrategy('dfs')!.run(program, props, scenario.bounds, options);
      const shortest = findStrategy('bfs')!.run(program, props, scenario.bounds, options);
      const small = minimise(program, props, deep.schedule!);
      assert.equal(small.prefix.length, shortest.schedule!.prefix.length, 'as short as the shortest counterexample');
      assert.ok(small.prefix.length <= deep.schedule!.prefix.length);
      assert.ok(preemptions(program, small.prefix) <= preemptions(program, shortest.schedule!.prefix), 'no more preemptions than BFS\'s');
      const trace = buildTrace(scenario, kernel, small);
      assert.equal(trace.violation?.property, deep.property);
      assert.equal(trace.violation?.step, small.prefix.length - 1);
      assert.deepEqual(minimise(program, props, small), small, 'a minimal schedule is a fixed point');
    });
  }

  for (const { scenario, kernel } of failing) {
    it(`${scenario.id} on ${kernel}: the portfolio's breadth-first pass gives a schedule minimisation cannot shrink`, () => {
      const program = new Program(scenario, findKernel(kernel)!);
      const props = new Set(scenario.properties);
      const pass = shortestViolation(program, props, scenario.bounds.maxDepth, { maxStates: 1_000_000, timeoutMs: 60_000 });
      assert.ok(pass.found, 'a violation within the bounds');
      const { schedule, failure } = pass.found;
      const shortest = findStrategy('bfs')!.run(program, props, scenario.bounds, { ...DEFAULT_STRATEGY_OPTIONS, symmetry: false });
      assert.equal(schedule.prefix.length, shortest.schedule!.prefix.length, 'as short as the shortest counterexample');
      assert.ok(preemptions(program, schedule.prefix) <= preemptions(program, shortest.schedule!.prefix));
      assert.deepEqual(minimise(program, props, schedule), schedule, 'already minimal');
      const trace = buildTrace(scenario, kernel, schedule);
      assert.equal(trace.violation?.property, failure.property);
      assert.equal(trace.violation?.step, schedule.prefix.length - 1);
    });
  }

  it('the breadth-first pass stops at its budget, and finds nothing where nothing fails', () => {
    const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'anon-direct-aba')!;
    const props = new Set(scenario.properties);
    const v67 = new Program(scenario, findKernel('v6.7')!);
    const starved = shortestViolation(v67, props, scenario.bounds.maxDepth, { maxStates: 100, timeoutMs: 60_000 });
    assert.equal(starved.found, undefined);
    assert.ok(starved.keys >= 100 && starved.keys < 1000, `stopped near its budget (${starved.keys} keys)`);
    const v68 = new Program(scenario, findKernel('v6.8')!);
    const none = shortestViolation(v68, props, scenario.bounds.maxDepth, { maxStates: 1_000_000, timeoutMs: 60_000 });
    assert.equal(none.found, undefined);
    assert.ok(none.keys > 100);
    const portfolio = checkScenario(scenario, { kernel: 'v6.7' });
    assert.equal(portfolio.schedule, checkScenario(scenario, { kernel: 'v6.7', strategy: 'dfs' }).schedule, 'the same minimal schedule as dfs then minimisation');
  });

  it('keeps a livelock\'s cycle, reached by the shortest lead-in', () => {
    const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'direct-pin-retry')!;
    const program = withPinNeverCleared(scenario);
    const props = new Set(['fault-completes'] as const);
    const found = findStrategy('dfs')!.run(program, props, scenario.bounds, DEFAULT_STRATEGY_OPTIONS).schedule!;
    const small: Schedule = minimise(program, props, found);
    assert.ok(small.cycle && small.cycle.length === found.cycle!.length);
    assert.ok(small.prefix.length <= found.prefix.length);
    assertCycleCloses(program, small, 'the rotated cycle still closes');
  });

  it('gives back a schedule that is not a counterexample unchanged', () => {
    const scenario = BUILTIN_SCENARIOS[0];
    const program = new Program(scenario, findKernel('v6.8')!);
    const schedule = parseSchedule('0.0.1');
    assert.deepEqual(minimise(program, new Set(scenario.properties), schedule), schedule);
  });

  it('checkScenario minimises unless told not to', () => {
    const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'swapoff-vs-direct')!;
    const raw = checkScenario(scenario, { kernel: 'v5.13', strategy: 'dfs', minimise: false });
    const small = checkScenario(scenario, { kernel: 'v5.13', strategy: 'dfs' });
    assert.ok(parseSchedule(small.schedule!).prefix.length < parseSchedule(raw.schedule!).prefix.length);
    assert.equal(small.property, raw.property);
  });
});
