/** The core's public surface: everything the CLI, the worker and the extension use. No `vscode` here. */
export { KERNEL_VERSIONS, KERNEL_IDS, findKernel, featureDiff } from './kernels/versions';
export type { KernelVersion, KernelFeatures } from './kernels/versions';
export { BUILTIN_SCENARIOS, findBuiltinScenario } from './scenario/builtins';
export * from './scenario/types';
export { checkScenario, UnknownKernelError } from './search/check';
export type { CheckOptions, CheckResult } from './search/check';
export { buildTrace, ReplayError } from './trace/replay';
export { formatSchedule, parseSchedule, ScheduleSyntaxError } from './trace/schedule';
export type { Schedule, Choice } from './trace/schedule';
export * from './trace/types';

import { KERNEL_VERSIONS } from './kernels/versions';
import { BUILTIN_SCENARIOS, findBuiltinScenario } from './scenario/builtins';
import type { Scenario } from './scenario/types';

export interface KernelInfo {
  id: string;
  title: string;
  commits: string[];
}

export function listKernels(): KernelInfo[] {
  return KERNEL_VERSIONS.map(({ id, title, commits }) => ({ id, title, commits }));
}

export function builtinScenarios(): Scenario[] {
  return [...BUILTIN_SCENARIOS];
}

export function getBuiltinScenario(id: string): Scenario | undefined {
  return findBuiltinScenario(id);
}
export { explainTrace } from './trace/explain';
export type { Explanation, ExplanationPart } from './trace/explain';
export { stepDiff } from './kernels/stepDiff';
export type { StepDiff } from './kernels/stepDiff';
export { parseScenario, formatScenarioError } from './scenario/parse';
