import { strict as assert } from 'assert';
import fc from 'fast-check';
import { findKernel } from '../../src/core';
import { Program } from '../../src/core/model/program';
import { exploreReference } from '../../src/core/search/reference';
import { scenarioArb } from './helpers/random-scenario';

/** Versions with every fix the reference lists for the modelled (order-0) paths. */
const CORRECT_VERSIONS = ['v6.8', 'v6.12', 'v6.14', 'v6.18', 'v7.0'];

describe('property: swap counts stay consistent on every correct version (random scenarios)', function () {
  this.timeout(300_000);
  it('no reachable state breaks swap-count-consistent', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(...CORRECT_VERSIONS), (scenario, version) => {
        const outcome = exploreReference(new Program(scenario, findKernel(version)!), new Set(scenario.properties), scenario.bounds);
        assert.notEqual(outcome.verdict, 'violation', `${version}: ${outcome.message} in ${JSON.stringify(scenario)}`);
      }),
      { numRuns: 60, seed: 20261127 },
    );
  });
});
