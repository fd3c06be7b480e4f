/**
 * What the pickers say, without VS Code: Replay Schedule's input box checks thread indexes against the
 * scenario as the user types (`scheduleProblem`), and the scenario pick says concretely what each scenario
 * expects where. `vscode` is a stub module here, installed only while src/extension/pickers.ts loads.
 */
import { strict as assert } from 'assert';
import Module from 'module';
import { getBuiltinScenario, type Scenario } from '../../src/core';
import { scheduleProblem } from '../../src/core/trace/schedule';

type Pickers = typeof import('../../src/extension/pickers');

interface InputBoxOptions {
  validateInput?: (text: string) => string | undefined;
}

/** The options of the last input box shown, and what the stub answers. */
let lastInputBox: InputBoxOptions | undefined;
const vscodeStub = {
  window: {
    showInputBox: async (options: InputBoxOptions) => {
      lastInputBox = options;
      return '0.1';
    },
  },
  QuickPickItemKind: { Separator: -1 },
  Uri: class {},
};

function loadPickers(): Pickers {
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  const stub = new Module('vscode');
  stub.exports = vscodeStub;
  stub.loaded = true;
  require.cache.vscode = stub;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  try {
    return require('../../src/extension/pickers') as Pickers;
  } finally {
    loader._resolveFilename = resolve;
    delete require.cache.vscode;
  }
}

const THREADS = ['T0', 'T1', 'R'];

describe('Replay Schedule: the schedule is checked against the scenario as it is typed', () => {
  it('names a thread the scenario does not have, and the threads it has', () => {
    assert.equal(scheduleProblem('0.0.1.7', THREADS), 'thread 7 does not exist: the scenario has threads 0-2 (T0, T1, R)');
    assert.equal(scheduleProblem('0.3/1~1', THREADS), 'thread 3 does not exist: the scenario has threads 0-2 (T0, T1, R)');
    assert.equal(scheduleProblem('0.0~1.4', THREADS), 'thread 4 does not exist: the scenario has threads 0-2 (T0, T1, R)');
    assert.equal(scheduleProblem('1', ['T']), 'thread 1 does not exist: the scenario has only thread 0 (T)');
  });

  it('accepts a schedule whose threads all exist, and still reports syntax first', () => {
    assert.equal(scheduleProblem('0.0.1.2/1', THREADS), undefined);
    assert.equal(scheduleProblem('0.0.1.2/1.1~1.1.1', THREADS), undefined);
    assert.equal(scheduleProblem('0.x.7', THREADS), 'schedule: character 3: expected a thread index like 0 or 2/1, got "x"');
  });

  it('the input box\'s validateInput says so, for the scenario the command replays on', async () => {
    const { askForSchedule } = loadPickers();
    const scenario = getBuiltinScenario('anon-direct-aba')!;
    assert.equal(await askForSchedule('Replay', scenario.threads.map((t) => t.name)), '0.1');
    const validate = lastInputBox?.validateInput;
    assert.ok(validate);
    assert.equal(validate('0.0.1.7'), 'thread 7 does not exist: the scenario has threads 0-2 (T0, T1, R)');
    assert.equal(validate('0.0.1.2/1'), undefined);
  });
});

describe('the scenario pick: what each scenario expects, concretely', () => {
  const summary = (scenario: Scenario) => loadPickers().expectationSummary(scenario);
  const withExpect = (expect: Scenario['expect']): Scenario => ({ ...getBuiltinScenario('anon-direct-aba')!, expect });

  it('a scenario that passes everywhere says on how many versions', () => {
    assert.equal(summary(getBuiltinScenario('anon-swapcache')!), 'kernel v6.7 · expected: pass on all 8 versions it lists');
    assert.equal(summary(withExpect({ 'v6.8': 'pass' })), 'kernel v6.7 · expected: pass on v6.8, the only version it lists');
  });

  it('a scenario that fails somewhere names where it fails and where it passes', () => {
    assert.equal(
      summary(getBuiltinScenario('anon-direct-aba')!),
      'kernel v6.7 · expected: fail on v5.13, v6.7, shmem-bypass-2023; pass on the other 5 versions it lists',
    );
    assert.equal(summary(withExpect({ 'v6.8': 'pass', 'v6.7': 'fail' })), 'kernel v6.7 · expected: fail on v6.7; pass on v6.8');
    assert.equal(summary(withExpect({ 'v6.7': 'fail', 'v5.13': 'fail' })), 'kernel v6.7 · expected: fail on both versions it lists');
    assert.equal(summary(withExpect({})), 'kernel v6.7');
  });
});
