import { strict as assert } from 'assert';
import { BUILTIN_SCENARIOS, buildTrace, checkScenario, findKernel, KERNEL_IDS, parseSchedule, type Choice, type Schedule } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine } from '../../../src/core/model/state';
import { minimise, shortestViolation } from '../../../src/core/search/minimise';
import { deadlockAt, transitionFailure } from '../../../src/core/search/transition';
import type { PropertyId } from '../../../src/core/scenario/types';
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

/**
 * Every schedule up to `maxLength` steps, by brute force: the best that ends in a violation of `props`
 * (at its last step or state, or a deadlock) without one before, by (length, preemptions, lexicographic
 * order of its choices); with `property`, the best whose last step breaks that one (as minimisation's
 * target). Undefined when none does.
 */
function bestByBruteForce(program: Program, props: ReadonlySet<PropertyId>, maxLength: number, property?: PropertyId): { choices: Choice[]; preemptions: number } | undefined {
  let best: { choices: Choice[]; preemptions: number } | undefined;
  const key = (choices: readonly Choice[]) => choices.map((c) => [c.thread, c.branch]).flat();
  const before = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  };
  const consider = (choices: Choice[], count: number) => {
    if (best && (choices.length > best.choices.length || (choices.length === best.choices.length && (count > best.preemptions || (count === best.preemptions && !before(key(choices), key(best.choices))))))) return;
    best = { choices: [...choices], preemptions: count };
  };
  const walk = (state: Uint8Array, choices: Choice[], last: number, count: number): void => {
    if (choices.length === maxLength) return;
    const probe = new Machine(program.layout, state);
    const branches = Array.from({ length: program.threadCount }, (_, t) => program.branches(probe, t));
    for (let t = 0; t < program.threadCount; t++) {
      for (let b = 0; b < branches[t]; b++) {
        const m = new Machine(program.layout, state.slice());
        m.violation = undefined;
        program.execute(m, t, b);
        const now = count + (last >= 0 && t !== last && branches[last] > 0 ? 1 : 0);
        choices.push({ thread: t, branch: b });
        const failure = transitionFailure(program, m, props);
        if (failure) {
          if (!property || failure.property === property) consider(choices, now);
        } else if (!property && props.has('fault-completes') && deadlockAt(program, m)) consider(choices, now);
        else walk(m.s, choices, t, now);
        choices.pop();
      }
    }
  };
  walk(program.initialState(), [], -1, 0);
  return best;
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

  // Small enough to enumerate every schedule up to the violation's length.
  for (const [id, kernel] of [['direct-pin-retry', 'v5.13'], ['direct-pin-retry', 'v6.7'], ['zswap-exclusive-load', 'v6.7'], ['swapoff-vs-direct', 'v5.13']]) {
    it(`${id} on ${kernel}: the breadth-first pass finds the best schedule of all, by length, preemptions, then order`, () => {
      const scenario = BUILTIN_SCENARIOS.find((s) => s.id === id)!;
      const program = new Program(scenario, findKernel(kernel)!);
      const props = new Set(scenario.properties);
      const pass = shortestViolation(program, props, scenario.bounds.maxDepth, { maxStates: 1_000_000, timeoutMs: 60_000 });
      assert.ok(pass.found, 'a violation within the bounds');
      const best = bestByBruteForce(program, props, pass.found.schedule.prefix.length);
      assert.ok(best, 'brute force finds one too');
      assert.deepEqual(pass.found.schedule.prefix, best.choices);
      assert.equal(preemptions(program, pass.found.schedule.prefix), best.preemptions);
    });

    it(`${id} on ${kernel}: minimising a depth-first counterexample gives the best schedule to the same property`, () => {
      const scenario = BUILTIN_SCENARIOS.find((s) => s.id === id)!;
      const program = new Program(scenario, findKernel(kernel)!);
      const props = new Set(scenario.properties);
      const deep = findStrategy('dfs')!.run(program, props, scenario.bounds, { ...DEFAULT_STRATEGY_OPTIONS, symmetry: false });
      assert.equal(deep.verdict, 'violation');
      const small = minimise(program, props, deep.schedule!);
      const best = bestByBruteForce(program, props, small.prefix.length, deep.property);
      assert.ok(best, 'brute force finds one too');
      assert.deepEqual(small.prefix, best.choices);
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

describe('minimisation: a stop while it shrinks', function () {
  this.timeout(120_000);
  const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'swapoff-vs-direct')!;

  it('keeps the counterexample the search found, unshrunk, with its trace', () => {
    // The depth-first search is deterministic: it asks isCancelled the same number of times in every run.
    let searchAsks = 0;
    const raw = checkScenario(scenario, { kernel: 'v5.13', strategy: 'dfs', minimise: false, isCancelled: () => (searchAsks++, false) });
    let asks = 0;
    const stopped = checkScenario(scenario, { kernel: 'v5.13', strategy: 'dfs', isCancelled: () => ++asks > searchAsks });
    assert.ok(asks > searchAsks, 'minimisation asks whether to stop');
    assert.equal(stopped.verdict, 'violation');
    assert.equal(stopped.minimisingStopped, true);
    assert.equal(raw.minimisingStopped, undefined);
    assert.equal(stopped.schedule, raw.schedule);
    assert.equal(stopped.message, `${raw.message} (stopped while shrinking the counterexample: there may be a shorter one)`);
    assert.equal(stopped.trace?.violation?.property, raw.property);
    assert.ok(parseSchedule(checkScenario(scenario, { kernel: 'v5.13', strategy: 'dfs' }).schedule!).prefix.length < parseSchedule(raw.schedule!).prefix.length);
  });

  it('ends the portfolio\'s breadth-first pass too', () => {
    let asks = 0;
    const outcome = findStrategy('portfolio')!.run(new Program(scenario, findKernel('v5.13')!), new Set(scenario.properties), { ...scenario.bounds, isCancelled: () => ++asks > 0 },
      DEFAULT_STRATEGY_OPTIONS);
    assert.equal(outcome.verdict, 'bounded');
    assert.equal(outcome.bound, 'cancelled');
    assert.equal(outcome.stats.transitions, 0);
  });
});
