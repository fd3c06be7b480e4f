import { strict as assert } from 'assert';
import fc from 'fast-check';
import { FAMILIES } from '../../../bench/families';
import { BUILTIN_SCENARIOS, buildTrace, findKernel, KERNEL_IDS, type PropertyId, type Scenario } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { Machine, stateKey } from '../../../src/core/model/state';
import { exploreReference } from '../../../src/core/search/reference';
import { findStrategy } from '../../../src/core/search/strategies';
import { ThreadSymmetry } from '../../../src/core/search/symmetry';
import { DEFAULT_STRATEGY_OPTIONS, type StrategyOptions } from '../../../src/core/search/strategy';
import type { SearchLimits, SearchOutcome } from '../../../src/core/search/verdict';
import { assertCycleCloses, withBrokenStep, withPinNeverCleared } from '../helpers/program';
import { differentialScenarioArb } from '../helpers/random-scenario';

interface Config {
  name: string;
  strategy: string;
  options: Partial<StrategyOptions>;
}

/** Every exhaustive configuration that must reach the reference's verdict. */
const CONFIGS: Config[] = [
  { name: 'dfs (POR + symmetry)', strategy: 'dfs', options: {} },
  { name: 'dfs (POR only)', strategy: 'dfs', options: { symmetry: false } },
  { name: 'dfs (symmetry only)', strategy: 'dfs', options: { por: false } },
  { name: 'dfs (no reduction)', strategy: 'dfs', options: { por: false, symmetry: false } },
  { name: 'bfs', strategy: 'bfs', options: {} },
  { name: 'portfolio', strategy: 'portfolio', options: {} },
  { name: 'parallel (2 workers)', strategy: 'parallel', options: { workers: 2 } },
];

/**
 * On the built-ins (all but one check fault-completes, which turns sleep sets off) the POR-only and
 * symmetry-only runs repeat others: the random scenarios and the POR section below cover them.
 */
const BUILTIN_CONFIGS = CONFIGS.filter((c) => !c.name.endsWith(' only)'));

function run(config: Config, program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits): SearchOutcome {
  return findStrategy(config.strategy)!.run(program, props, limits, { ...DEFAULT_STRATEGY_OPTIONS, ...config.options });
}

/** The strategy's counterexample, replayed through the one step function, ends in the same violation. */
function assertReplays(scenario: Scenario, kernel: string, outcome: SearchOutcome, label: string): void {
  if (outcome.verdict !== 'violation') return;
  const trace = buildTrace(scenario, kernel, outcome.schedule!, 'violation');
  assert.ok(trace.violation, `${label}: the replayed schedule violates something`);
  assert.equal(trace.violation.property, outcome.property, `${label}: the replay violates the same property`);
  if (!outcome.schedule!.cycle?.length) assert.equal(trace.violation.step, trace.steps.length - 1, `${label}: at the last step`);
}

describe('search strategies agree with the reference explorer', function () {
  this.timeout(120_000);

  describe('on every built-in scenario and kernel version', () => {
    for (const scenario of BUILTIN_SCENARIOS) {
      it(scenario.id, () => {
        for (const kernel of KERNEL_IDS) {
          const program = new Program(scenario, findKernel(kernel)!);
          const props = new Set(scenario.properties);
          const reference = exploreReference(program, props, scenario.bounds);
          for (const config of BUILTIN_CONFIGS) {
            const label = `${config.name} on ${kernel}`;
            const outcome = run(config, program, props, scenario.bounds);
            assert.equal(outcome.verdict, reference.verdict, `${label}: ${outcome.message ?? outcome.bound ?? ''}`);
            assert.equal(outcome.property, reference.property, label);
            assertReplays(scenario, kernel, outcome, label);
            if (config.name === 'dfs (no reduction)' && reference.verdict === 'verified') {
              assert.equal(outcome.stats.states, reference.stats.states, `${label}: one fingerprint per reachable state`);
            }
          }
        }
      });
    }
  });

  describe('partial-order reduction where livelocks are not checked (sleep sets are then on)', () => {
    for (const scenario of BUILTIN_SCENARIOS) {
      it(`${scenario.id}: same verdict, every state still visited, fewer transitions`, () => {
        const props = new Set(scenario.properties.filter((p) => p !== 'fault-completes'));
        for (const kernel of ['v6.7', 'v6.8']) {
          const program = new Program(scenario, findKernel(kernel)!);
          const reference = exploreReference(program, props, scenario.bounds);
          const reduced = run({ name: 'por', strategy: 'dfs', options: { symmetry: false } }, program, props, scenario.bounds);
          assert.equal(reduced.verdict, reference.verdict, kernel);
          assert.equal(reduced.property, reference.property, kernel);
          assertReplays(scenario, kernel, reduced, `POR on ${kernel}`);
          if (reference.verdict !== 'verified') continue;
          assert.equal(reduced.stats.states, reference.stats.states, `${kernel}: sleep sets keep every reachable state`);
          assert.ok(reduced.stats.transitions < reference.stats.transitions, `${kernel}: sleep sets prune transitions`);
        }
      });
    }
  });

  it('parallel: the shared table grows several times under running workers, and every state and transition is counted once', () => {
    // mixed/2 of the bench: about 310k states, past the shared table's first capacity (196k at 3/4 full).
    const { scenario, kernel } = FAMILIES.flatMap((f) => f.cases).find((c) => c.id === 'mixed/2')!;
    const program = new Program(scenario, findKernel(kernel)!);
    const props = new Set(scenario.properties);
    const sequential = run({ name: 'dfs', strategy: 'dfs', options: { por: false } }, program, props, scenario.bounds);
    const parallel = run(CONFIGS.find((c) => c.strategy === 'parallel')!, program, props, scenario.bounds);
    assert.equal(sequential.verdict, 'verified');
    assert.ok(sequential.stats.states > 300_000, `${sequential.stats.states} states`);
    assert.deepEqual([parallel.verdict, parallel.stats.states, parallel.stats.transitions], ['verified', sequential.stats.states, sequential.stats.transitions]);
  });

  it('on random scenarios (fast-check), with and without livelock checking and symmetric threads', function () {
    // Every run here and in CI takes the same 20 scenarios; a bug hunt sets others (README, Tests).
    const runs = Number(process.env.DIFFERENTIAL_RUNS ?? 20);
    const seed = Number(process.env.DIFFERENTIAL_SEED ?? 424242);
    this.timeout(Math.max(120_000, 200 * runs));
    fc.assert(
      fc.property(differentialScenarioArb, fc.constantFrom(...KERNEL_IDS), (generated, kernel) => {
        const scenario = { ...generated, bounds: { maxStates: 30_000, maxDepth: 2_000, timeoutMs: 20_000 } };
        const program = new Program(scenario, findKernel(kernel)!);
        const props = new Set(scenario.properties);
        const reference = exploreReference(program, props, scenario.bounds);
        if (reference.verdict === 'bounded') return;
        for (const config of CONFIGS) {
          const label = `${config.name} on ${kernel} (${JSON.stringify(scenario)})`;
          const outcome = run(config, program, props, scenario.bounds);
          // The reference may find a violation before it has stored as many states as another order needs to
          // meet one: then the other strategy may stop at the bound instead, but never verify.
          if (reference.verdict === 'violation' && outcome.verdict === 'bounded') continue;
          assert.equal(outcome.verdict, reference.verdict, label);
          // A random scenario may break several properties, some as soon as others: the reference and bfs, both
          // breadth first, each report one on a shortest path; a depth-first search may meet any first. Every
          // strategy's violation must replay to the property it names.
          if (config.strategy === 'bfs' && !reference.schedule?.cycle?.length) {
            assert.equal(outcome.schedule?.prefix.length, reference.schedule?.prefix.length, `${label}: as short as the reference's`);
          }
          // A livelock is reported only where no run breaks a safety property or deadlocks: by every strategy or none.
          assert.equal(Boolean(outcome.schedule?.cycle?.length), Boolean(reference.schedule?.cycle?.length), `${label}: livelock`);
          assertReplays(scenario, kernel, outcome, label);
          if (outcome.schedule?.cycle?.length) assertCycleCloses(program, outcome.schedule);
        }
      }),
      { numRuns: runs, seed },
    );
  });

  describe('termination under symmetric threads (direct-pin-retry: two identical faults)', () => {
    const scenario = BUILTIN_SCENARIOS.find((s) => s.id === 'direct-pin-retry')!;
    const props = new Set<PropertyId>(['fault-completes']);
    const limits = { maxStates: 100_000, maxDepth: 400, timeoutMs: 60_000 };

    it('a pin that is never cleared is a livelock: found, with a cycle that closes, by every strategy', () => {
      const program = withPinNeverCleared(scenario);
      // Workers rebuild the program from the scenario, so a patched step cannot reach them.
      for (const config of CONFIGS.filter((c) => c.strategy !== 'parallel')) {
        const outcome = run(config, program, props, limits);
        assert.equal(outcome.verdict, 'violation', config.name);
        assert.match(outcome.message!, /^livelock: /, config.name);
        assertCycleCloses(program, outcome.schedule!);
      }
    });

    it('a PTL that is never released is a deadlock for every strategy', () => {
      const program = withBrokenStep(scenario, 'v6.8', 'do_swap_page.unlock_ptl', () => 'do_swap_page.swapcache_clear');
      for (const config of CONFIGS.filter((c) => c.strategy !== 'parallel')) {
        const outcome = run(config, program, props, limits);
        assert.equal(outcome.verdict, 'violation', config.name);
        assert.match(outcome.message!, /^deadlock: /, config.name);
      }
    });

    it('symmetry stores exactly one state per orbit', () => {
      const program = new Program(scenario, findKernel('v6.8')!);
      const symmetry = ThreadSymmetry.of(program)!;
      const sigma = new Uint8Array(program.threadCount);
      const seen = new Map([[stateKey(program.initialState()), program.initialState()]]);
      const orbits = new Set<string>();
      for (const state of seen.values()) {
        const representative = state.slice();
        symmetry.canonicalise(representative, sigma);
        orbits.add(stateKey(representative));
        for (let t = 0; t < program.threadCount; t++) {
          for (let b = 0; b < program.branches(new Machine(program.layout, state), t); b++) {
            const m = new Machine(program.layout, state.slice());
            program.execute(m, t, b);
            if (!seen.has(stateKey(m.s))) seen.set(stateKey(m.s), m.s);
          }
        }
      }
      const folded = run(CONFIGS[2], program, props, limits);
      assert.equal(folded.verdict, 'verified');
      assert.ok(orbits.size < seen.size, 'the two faults are interchangeable');
      assert.equal(folded.stats.states, orbits.size);
    });
  });
});
