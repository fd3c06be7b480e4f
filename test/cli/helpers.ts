/** Running the `swaprace` command line in tests: a real process, its exit code, stdout and stderr. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPOSITORY = resolve(__dirname, '../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; independent runs go in parallel (each spends half a second compiling the sources). */
export function swaprace(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', 'esbuild-register', 'src/cli/main.ts', ...args], { cwd: REPOSITORY });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export function json(run: Run): any {
  return JSON.parse(run.stdout);
}

/** One clear error: a `swaprace:` line (and maybe positioned details), never a stack trace. */
export function assertCleanError(run: Run, pattern: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^swaprace: /);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

/** A scratch directory holding S1's counterexample on v6.7 as files: its trace and its `check --json` result. */
export interface S1Files {
  scratch: string;
  trace: string;
  result: string;
  /** The result, parsed. */
  json: any;
}

/** Runs `check anon-direct-aba --kernel v6.7 --out <trace> --json` once into a new scratch directory. */
export async function s1Files(prefix: string): Promise<S1Files> {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  const trace = join(scratch, 's1.swaptrace.json');
  const result = join(scratch, 's1.json');
  const run = await swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--out', trace, '--json');
  assert.equal(run.code, 1, run.stderr);
  writeFileSync(result, run.stdout);
  return { scratch, trace, result, json: json(run) };
}
