/** A verdict against the scenario's `expect` for its kernel version, as every report of a run judges it. */
import type { Expectation } from '../scenario/types';
import type { CheckResult } from './check';

/**
 * Whether a verdict agrees with the expectation: undefined when there is none, no verdict (the run was stopped
 * before it answered), or a bounded search, which cannot tell.
 */
export function matchesExpectation(result: Pick<CheckResult, 'verdict'> | undefined, expected: Expectation | undefined): boolean | undefined {
  if (!expected || !result || result.verdict === 'bounded') return undefined;
  return (result.verdict === 'violation') === (expected === 'fail');
}
