/**
 * The quick picks the commands share: a scenario, a kernel version (or several), a strategy, a schedule; and
 * the "scenario, then version" steps that start Run Scenario, Replay Schedule and Compare Kernel Versions.
 */
import * as vscode from 'vscode';
import { KERNEL_IDS, listKernels } from '../core';
import { scheduleProblem } from '../core/trace/schedule';
import type { Scenario } from '../core/scenario/types';
import { requestedKernel, requestedSource, type CommandRequest } from './commandArgs';
import { builtinLibrary, describeSource, loadScenario, type LoadedScenario, type ScenarioSource } from './scenarioLibrary';
import type { ScenarioFiles } from './scenarioFiles';
import { STRATEGIES } from '../core/search/strategies';
import { defaultKernelSetting } from './settings';

/**
 * Later steps of a multi-step pick stay open when focus moves: closing the previous step hands focus back to
 * whatever had it (often the timeline webview), which would otherwise dismiss the next step at once.
 */
export const LATER_STEP = { ignoreFocusOut: true } as const;

interface SourceItem extends vscode.QuickPickItem {
  source?: ScenarioSource;
  problem?: string;
}

/**
 * The scenario's version and what it expects where, concretely: `kernel v6.7 · expected: fail on v5.13, v6.7;
 * pass on the other 6 versions it lists`, or `expected: pass on all 8 versions it lists`.
 */
export function expectationSummary(scenario: Scenario): string {
  const order = (kernel: string) => (KERNEL_IDS.includes(kernel) ? KERNEL_IDS.indexOf(kernel) : KERNEL_IDS.length);
  const listed = Object.keys(scenario.expect).sort((a, b) => order(a) - order(b));
  if (listed.length === 0) return `kernel ${scenario.kernel}`;
  const failing = listed.filter((kernel) => scenario.expect[kernel] === 'fail');
  const passing = listed.filter((kernel) => scenario.expect[kernel] === 'pass');
  const all = (verdict: string) =>
    listed.length === 1 ? `${verdict} on ${listed[0]}, the only version it lists` : `${verdict} on ${listed.length === 2 ? 'both' : `all ${listed.length}`} versions it lists`;
  const rest = (verdict: string, kernels: string[]) => `${verdict} on ${kernels.length <= 2 ? kernels.join(', ') : `the other ${kernels.length} versions it lists`}`;
  const summary = failing.length === 0 ? all('pass') : passing.length === 0 ? all('fail') : `fail on ${failing.join(', ')}; ${rest('pass', passing)}`;
  return `kernel ${scenario.kernel} · expected: ${summary}`;
}

async function pickScenario(files: ScenarioFiles, title: string): Promise<ScenarioSource | undefined> {
  const items: SourceItem[] = [{ label: 'Built-in scenarios', kind: vscode.QuickPickItemKind.Separator }];
  for (const { source, scenario } of builtinLibrary()) {
    items.push({ label: scenario.id, description: scenario.title, detail: expectationSummary(scenario), source });
  }
  const workspace = files.all();
  if (workspace.length) items.push({ label: 'Workspace scenario files', kind: vscode.QuickPickItemKind.Separator });
  for (const { uri, result } of workspace) {
    const source: ScenarioSource = { kind: 'file', uri };
    if (result.ok) {
      items.push({ label: result.scenario.id, description: describeSource(source), detail: `${result.scenario.title} · ${expectationSummary(result.scenario)}`, source });
    } else {
      const first = result.errors[0];
      items.push({
        label: `$(error) ${describeSource(source)}`,
        description: `${result.errors.length} problem(s)`,
        detail: `line ${first.line}: ${first.field}: ${first.message}`,
        problem: `${describeSource(source)} has errors; see the Problems panel`,
      });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a scenario', matchOnDescription: true, matchOnDetail: true });
  if (picked?.problem) throw new Error(picked.problem);
  return picked?.source;
}

/** The version offered first: the setting if it names one, else the scenario's own. */
export function defaultKernelFor(scenario: Scenario): string {
  return defaultKernelSetting() ?? scenario.kernel;
}

function kernelItems(scenario: Scenario): (vscode.QuickPickItem & { kernel: string })[] {
  const first = defaultKernelFor(scenario);
  const items = listKernels().map((kernel) => {
    const expectation = scenario.expect[kernel.id];
    const notes = [kernel.id === scenario.kernel ? "the scenario's version" : '', kernel.id === first && first !== scenario.kernel ? 'default' : '', expectation ? `expect ${expectation}` : '']
      .filter(Boolean)
      .join(' · ');
    return { label: kernel.id, description: notes, detail: kernel.title, kernel: kernel.id };
  });
  return [...items.filter((item) => item.kernel === first), ...items.filter((item) => item.kernel !== first)];
}

async function pickKernel(scenario: Scenario, title: string): Promise<string | undefined> {
  return (await vscode.window.showQuickPick(kernelItems(scenario), { ...LATER_STEP, title, placeHolder: 'Kernel version to check', matchOnDetail: true }))?.kernel;
}

export async function pickKernels(scenario: Scenario, title: string): Promise<string[] | undefined> {
  const listed = new Set(Object.keys(scenario.expect));
  const items = kernelItems(scenario).map((item) => ({ ...item, picked: listed.size === 0 || listed.has(item.kernel) }));
  const picked = await vscode.window.showQuickPick(items, { ...LATER_STEP, title, placeHolder: 'Kernel versions to compare', canPickMany: true, matchOnDetail: true });
  return picked?.map((item) => item.kernel);
}

/** The title of one step of a multi-step pick, with what the earlier steps settled: `Swap Race: Run Scenario (2/3): anon-direct-aba`. */
export function stepTitle(title: string, step: number, steps: number, settled?: string): string {
  return `${title} (${step}/${steps})${settled ? `: ${settled}` : ''}`;
}

interface ChosenScenario {
  loaded: LoadedScenario;
  /** The request named the scenario, rather than the user picking it. */
  named: boolean;
}

/**
 * Step 1 of `steps` of a command on one scenario: the scenario the request names, else the one the user picks,
 * loaded (a file with errors throws here, before a later step asks anything). Undefined when the pick was
 * cancelled.
 */
export async function chooseScenario(files: ScenarioFiles, request: CommandRequest, title: string, steps: number): Promise<ChosenScenario | undefined> {
  const named = requestedSource(request);
  const source = named ?? (await pickScenario(files, stepTitle(title, 1, steps)));
  return source && { loaded: await loadScenario(source), named: named !== undefined };
}

/**
 * Steps 1 and 2 of `steps` of a command on one scenario and one version: the scenario as `chooseScenario`,
 * then the version the request names, else the one the user picks; when the request named the scenario,
 * `whenNamed` (if given) answers instead of the pick. Undefined when a pick was cancelled.
 */
export async function chooseScenarioAndKernel(
  files: ScenarioFiles,
  request: CommandRequest,
  title: string,
  steps: number,
  whenNamed?: (scenario: Scenario) => string,
): Promise<(ChosenScenario & { kernel: string }) | undefined> {
  const chosen = await chooseScenario(files, request, title, steps);
  if (!chosen) return undefined;
  const { scenario } = chosen.loaded;
  const kernel =
    requestedKernel(request) ?? (chosen.named && whenNamed ? whenNamed(scenario) : await pickKernel(scenario, stepTitle(title, 2, steps, scenario.id)));
  return kernel ? { ...chosen, kernel } : undefined;
}

export async function pickStrategy(current: string, title: string): Promise<string | undefined> {
  const ordered = [...STRATEGIES.filter((s) => s.id === current), ...STRATEGIES.filter((s) => s.id !== current)];
  const items = ordered.map((s) => ({
    label: s.id,
    description: [s.id === current ? 'from settings' : '', s.exhaustive ? 'exhaustive' : 'finds bugs, proves nothing'].filter(Boolean).join(' · '),
    detail: s.summary,
    strategy: s.id,
  }));
  return (await vscode.window.showQuickPick(items, { ...LATER_STEP, title, placeHolder: 'Search strategy' }))?.strategy;
}

/** Asks for a schedule to replay on a scenario with these threads (names in order), checked as the user types. */
export async function askForSchedule(title: string, threadNames: readonly string[]): Promise<string | undefined> {
  const schedule = await vscode.window.showInputBox({
    title,
    prompt: 'Paste a printable schedule: the thread of each step, joined by dots, e.g. 0.0.1.2/1.1 (a slash gives an allocator choice, a tilde starts a repeating cycle)',
    placeHolder: '0.0.1.1.2',
    ignoreFocusOut: true,
    validateInput: (text) => scheduleProblem(text, threadNames),
  });
  return schedule?.trim();
}
