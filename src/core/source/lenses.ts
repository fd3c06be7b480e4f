/**
 * What CodeLens and the timeline need from source mapping: which scenarios pass through a function,
 * and, for the active trace, which steps happened at each anchored line.
 */
import { findKernel, type KernelVersion } from '../kernels/versions';
import { Program } from '../model/program';
import type { Scenario } from '../scenario/types';
import type { Trace } from '../trace/types';

/**
 * The functions each scenario runs, per kernel version. Lenses ask for every modelled function of a
 * file on every refresh (each timeline step selection): a scenario is compiled once per version, and
 * forgotten with the scenario object (an edited scenario file is a new object).
 */
const functionsRun = new WeakMap<Scenario, Map<string, ReadonlySet<string>>>();

function functionsOf(scenario: Scenario, kernel: KernelVersion): ReadonlySet<string> {
  let byKernel = functionsRun.get(scenario);
  if (!byKernel) functionsRun.set(scenario, (byKernel = new Map()));
  let fns = byKernel.get(kernel.id);
  if (!fns) byKernel.set(kernel.id, (fns = new Set(new Program(scenario, kernel).allSteps().map((step) => step.fn))));
  return fns;
}

/** Scenarios whose threads, on this kernel version, run at least one step of `fn`. */
export function scenariosThrough(fn: string, kernelId: string, scenarios: readonly Scenario[]): Scenario[] {
  const kernel = findKernel(kernelId);
  if (!kernel) return [];
  return scenarios.filter((scenario) => functionsOf(scenario, kernel).has(fn));
}

export interface StepAtLine {
  /** Index into `trace.steps`. */
  step: number;
  /** e.g. `T0 step 26: pte_same() passes: PTE still swap(slot 0)` (1-based step number, as the timeline shows). */
  title: string;
  violating: boolean;
}

/**
 * Groups the trace's steps by the source line their anchor resolves to. `lineOf` answers for one
 * step id (from the real tree or the snippet); steps it cannot place are left out.
 */
export function stepsByLine(trace: Trace, lineOf: (stepId: string) => number | undefined): Map<number, StepAtLine[]> {
  const byLine = new Map<number, StepAtLine[]>();
  trace.steps.forEach((step, i) => {
    const line = lineOf(step.stepId);
    if (line === undefined) return;
    const entry: StepAtLine = {
      step: i,
      title: `${trace.threads[step.thread].name} step ${i + 1}: ${step.label}`,
      violating: trace.violation?.step === i,
    };
    const list = byLine.get(line);
    if (list) list.push(entry);
    else byLine.set(line, [entry]);
  });
  return byLine;
}
