/** Explore Scenarios Through Function (a function's CodeLens): pick one of the scenarios that run it, and run it. */
import * as vscode from 'vscode';
import { scenariosThrough } from '../../core/source';
import { Commands } from '../commandIds';
import type { CommandRequest } from '../commandArgs';
import { builtinLibrary, describeSource, type LoadedScenario } from '../scenarioLibrary';
import type { Swaprace } from '../swaprace';

/** What a function's lens passes. */
export interface ExploreRequest {
  fn: string;
  kernel: string;
}

export function registerExploreCommand(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.exploreFunction, 'Explore Scenarios', (arg?: unknown) => explore(swaprace, arg));
}

/** The built-in and workspace scenarios whose threads run `fn` on `kernel`. */
export function scenarioSourcesThrough(swaprace: Swaprace, fn: string, kernel: string): LoadedScenario[] {
  const all = [...builtinLibrary(), ...swaprace.scenarioFiles.scenarios()];
  const through = new Set(scenariosThrough(fn, kernel, all.map((loaded) => loaded.scenario)));
  return all.filter((loaded) => through.has(loaded.scenario));
}

async function explore(swaprace: Swaprace, arg: unknown): Promise<unknown> {
  const { fn, kernel } = (typeof arg === 'object' && arg !== null ? arg : {}) as Partial<ExploreRequest>;
  if (typeof fn !== 'string' || typeof kernel !== 'string') throw new Error('expected a function name and a kernel version');
  const scenarios = scenarioSourcesThrough(swaprace, fn, kernel);
  if (scenarios.length === 0) {
    void vscode.window.showInformationMessage(`Swap Race: no scenario runs ${fn}() on ${kernel}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    scenarios.map((loaded) => ({ label: loaded.scenario.id, description: describeSource(loaded.source), detail: loaded.scenario.title, loaded })),
    { title: `Swap Race: Explore ${fn}() on ${kernel}`, placeHolder: 'Scenario to run', matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return undefined;
  const { source } = picked.loaded;
  const request: CommandRequest = source.kind === 'builtin' ? { scenarioId: source.id, kernel } : { scenarioFile: source.uri, kernel };
  return vscode.commands.executeCommand(Commands.runScenario, request);
}
