import { strict as assert } from 'assert';
import { join } from 'path';
import { Worker } from 'worker_threads';
import { checkScenario, findBuiltinScenario, formatSchedule, findKernel, type CheckOptions } from '../../../src/core';
import { Program } from '../../../src/core/model/program';
import { findStrategy } from '../../../src/core/search/strategies';
import { DEFAULT_STRATEGY_OPTIONS } from '../../../src/core/search/strategy';

/** A race random walks find within a few hundred walks: the v6.7 loser reads the freed slot. */
const scenario = findBuiltinScenario('direct-pin-retry')!;
const program = new Program(scenario, findKernel('v6.7')!);
const props = new Set(scenario.properties);

/** The raw (unminimised) schedule a strategy finds, as text. */
function found(strategy: string, seed: number, walks = 2000): string {
  const outcome = findStrategy(strategy)!.run(program, props, scenario.bounds, { ...DEFAULT_STRATEGY_OPTIONS, seed, walks });
  assert.equal(outcome.verdict, 'violation', `${strategy} with seed ${seed} finds the race`);
  return formatSchedule(outcome.schedule!);
}

/** checkScenario in a fresh worker thread (sources loaded through esbuild-register). */
function checkInWorker(options: CheckOptions): Promise<string | undefined> {
  const core = join(__dirname, '../../../src/core');
  const code = `
    require('esbuild-register/dist/node').register({ target: 'node20' });
    const { parentPort, workerData } = require('worker_threads');
    const { checkScenario, findBuiltinScenario } = require(${JSON.stringify(core)});
    const result = checkScenario(findBuiltinScenario(workerData.id), workerData.options);
    parentPort.postMessage(result.schedule);`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { id: scenario.id, options } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('randomized strategies are deterministic', function () {
  this.timeout(60_000);

  for (const strategy of ['random', 'pct']) {
    it(`${strategy}: the same seed gives the same schedule, another seed another run`, () => {
      assert.equal(found(strategy, 7), found(strategy, 7));
      const schedules = new Set([1, 2, 3, 4].map((seed) => found(strategy, seed)));
      assert.ok(schedules.size > 1, 'different seeds explore differently');
    });
  }

  it('checkScenario: the same scenario and seed give the same schedule in this thread and in a worker', async () => {
    for (const strategy of ['random', 'pct', 'portfolio']) {
      const options: CheckOptions = { kernel: 'v6.7', strategy, seed: 11, walks: 2000, minimise: false };
      const here = checkScenario(scenario, options).schedule;
      assert.ok(here, `${strategy} finds the race`);
      assert.equal(checkScenario(scenario, options).schedule, here, strategy);
      assert.equal(await checkInWorker(options), here, `${strategy} in a worker`);
    }
  });

  it('the default (portfolio, minimised) gives one schedule for a scenario, whatever the run', () => {
    const first = checkScenario(scenario, { kernel: 'v6.7' });
    const again = checkScenario(scenario, { kernel: 'v6.7' });
    assert.equal(first.strategy, 'portfolio');
    assert.equal(again.schedule, first.schedule);
  });
});
