/**
 * One cold check, for the cold-process timing: anon-direct-aba on v6.7 with the strategy named on the
 * command line (default portfolio), counterexample minimised and replayed into a trace. Prints the
 * verdict and the schedule.
 */
import { checkScenario, findBuiltinScenario } from '../src/core';

const result = checkScenario(findBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7', strategy: process.argv[2] ?? 'portfolio' });
if (!result.trace) throw new Error('expected a counterexample with its trace');
console.log(`${result.verdict} ${result.property} ${result.schedule}`);
