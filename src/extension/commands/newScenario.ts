/**
 * New Scenario File: writes a small, valid scenario (the November 2023 direct swap-in race) where the user
 * says, and opens it. The contributed JSON Schema then completes and explains every field as it is edited, and
 * the Problems panel shows the parser's errors.
 */
import * as vscode from 'vscode';
import { askForTarget, fileExists, withFileSuffix } from '../files';
import { Commands } from '../commandIds';
import { requestedFile, requestOf } from '../commandArgs';
import { SCENARIO_FILE_SUFFIX } from '../scenarioLibrary';
import type { Swaprace } from '../swaprace';

const TEMPLATE = {
  id: 'my-race',
  title: 'Two faults and a reclaim race on one swap entry',
  description: 'Edit the threads and their operations; hover any field for what it means. Run it with "Swap Race: Run Scenario...".',
  kernel: 'v6.7',
  device: { synchronous: true, slots: 2, allocator: 'lowest-free', reuse: 'immediate' },
  pages: [{ name: 'p0', kind: 'anon', initial: 'swapped' }],
  threads: [
    { name: 'T0', ops: [{ op: 'read', page: 'p0' }] },
    { name: 'T1', ops: [{ op: 'read', page: 'p0' }, { op: 'write', page: 'p0' }] },
    { name: 'R', ops: [{ op: 'reclaim', page: 'p0' }] },
  ],
  properties: ['no-stale-install', 'no-lost-write', 'swap-count-consistent', 'fault-completes'],
  bounds: { maxStates: 2000000, maxDepth: 400, timeoutMs: 60000 },
  expect: { 'v6.7': 'fail', 'v6.8': 'pass' },
};

export function registerNewScenarioCommand(swaprace: Swaprace): void {
  swaprace.registerCommand(Commands.newScenario, 'New Scenario File', (arg?: unknown) => newScenarioFile(arg));
}

async function newScenarioFile(arg: unknown): Promise<vscode.Uri | undefined> {
  const target =
    requestedFile(requestOf(arg)) ??
    (await askForTarget(`my-race${SCENARIO_FILE_SUFFIX}`, { 'Swap Race scenarios (*.swaprace.json)': ['json'] }, 'Swap Race: New Scenario File'));
  if (!target) return undefined;
  // The schema and the Testing view find scenario files by their suffix.
  const uri = withFileSuffix(target, SCENARIO_FILE_SUFFIX);
  if (await fileExists(uri)) throw new Error(`${vscode.workspace.asRelativePath(uri)} already exists; pick another name`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(TEMPLATE, null, 2) + '\n'));
  await vscode.window.showTextDocument(uri);
  return uri;
}
