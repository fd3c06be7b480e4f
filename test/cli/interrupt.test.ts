/**
 * Ctrl-C at a terminal: the search stops and the command still prints its verdict and statistics. The CLI
 * runs on a pseudo-terminal made by script(1) (util-linux, essential in Debian), and Ctrl-C is typed into
 * it, so the terminal itself sends SIGINT, as when a user presses the keys.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { json, REPOSITORY, swaprace } from './helpers';

/** A scenario whose search runs for many seconds: long enough to interrupt. */
const MANY_STATES = 'test/fixtures/cli/arguments/many-states.swaprace.json';

interface TerminalRun {
  code: number | null;
  output: string;
}

/** Runs the CLI on a terminal; with `interrupt`, types Ctrl-C once its progress line shows. */
function atTerminal(args: readonly string[], interrupt: boolean): Promise<TerminalRun> {
  // `exec`: script(1) runs the command with $SHELL -c ($SHELL pinned to /bin/sh, dash, as on CI), and a
  // non-interactive dash that waits on the CLI dies of the same SIGINT: script would report its 130.
  const command = ['exec', 'node', '-r', 'esbuild-register', 'src/cli/main.ts', ...args].join(' ');
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: REPOSITORY, env: { ...process.env, COLUMNS: '200', SHELL: '/bin/sh' } });
    let output = '';
    let typed = !interrupt;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      // The progress line shows once the search is under way; by a second later it runs on the job worker.
      if (!typed && /states|transitions/.test(output)) {
        typed = true;
        setTimeout(() => child.stdin.write('\x03'), 1500);
      }
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('Ctrl-C at a terminal', function () {
  this.timeout(60_000);

  it('stops the search, which ends with its verdict and statistics (exit 3)', async () => {
    const started = Date.now();
    const run = await atTerminal(['check', MANY_STATES, '--kernel', 'v6.8'], true);
    assert.equal(run.code, 3, run.output);
    assert.match(run.output, /: BOUNDED\r?\n {2}stopped at the user's request before the search finished; no violation found so far/);
    assert.match(run.output, /searched [\d,]+ states and [\d,]+ transitions/);
    assert.ok(Date.now() - started < 30_000, 'stopped well before the search would have finished');
  });

  it('compare names the versions it did not get to, and counts as stopped at a bound (exit 3)', async () => {
    const run = await atTerminal(['compare', MANY_STATES, '--kernels', 'v6.8,v7.0'], true);
    assert.equal(run.code, 3, run.output);
    assert.match(run.output, /\nv6\.8 +bounded /);
    assert.match(run.output, /\nnot run \(Ctrl-C\): v7\.0\r?\n/);
  });

  it('a quick check at a terminal has the same limits and counterexample as off it', async () => {
    const args = ['check', 'anon-direct-aba', '--kernel', 'v6.7', '--json'];
    const [terminal, piped] = await Promise.all([atTerminal(args, false), swaprace(...args)]);
    assert.equal(terminal.code, 1, terminal.output);
    const fromTerminal = JSON.parse(terminal.output.replace(/\r\n/g, '\n'));
    const fromPipe = json(piped);
    assert.deepEqual(fromTerminal.limits, fromPipe.limits);
    assert.equal(fromTerminal.schedule, fromPipe.schedule);
  });
});
