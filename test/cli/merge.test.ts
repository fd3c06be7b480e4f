/**
 * `swaprace merge` and the shard results it reads: a shard alone is no verdict, and merge takes only results
 * that are, checked field by field, parts of one search.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEARCH_OPTION_RANGES } from '../../src/core/search/optionRanges';
import { assertCleanError, json, swaprace } from './helpers';

const SCENARIO = ['anon-direct-aba', '--kernel', 'v6.8'];
const FIXTURE = 'test/fixtures/cli/direct-aba.swaprace.json';
const MAX_SHARDS = SEARCH_OPTION_RANGES.shards.max;
/** What merge says results that differ are not. */
const ONE_CHECK = 'results of one check';
const ONE_SEARCH = 'shards of one search';

describe('swaprace merge', function () {
  this.timeout(60_000);
  let scratch: string;
  /** The three shards of one verified search of S1 on v6.8. */
  let shards: string[];

  /** Runs `check ... --json` and keeps its result in a file. */
  async function result(name: string, ...args: string[]): Promise<string> {
    const path = join(scratch, `${name}.json`);
    writeFileSync(path, (await swaprace('check', ...args, '--json')).stdout);
    return path;
  }

  /** A copy of a result file with some fields changed, as a hand or a broken script would leave it. */
  function edited(path: string, name: string, changes: Record<string, unknown>): string {
    const copy = join(scratch, `${name}.json`);
    writeFileSync(copy, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), ...changes }));
    return copy;
  }

  /** The error of merge for `field`, with its value in the first file and in the other (files by the ends of their paths). */
  function mismatch(field: string, what: string, [value, file]: [string, string], [otherValue, otherFile]: [string, string]): RegExp {
    const text = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`^swaprace: cannot merge: "${text(field)}" is ${text(value)} in \\S*${text(file)} but ${text(otherValue)} in \\S*${text(otherFile)} \\(${what} must agree on it\\)\\n$`);
  }

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'swaprace-merge-'));
    shards = await Promise.all(['1/3', '2/3', '3/3'].map((part, i) => result(`shard-${i + 1}`, ...SCENARIO, '--shard', part)));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe('a shard on its own', () => {
    it('says that only its part of the search ran, and exits 0 when clean', async () => {
      const [clean, bounded, violation] = await Promise.all([
        swaprace('check', ...SCENARIO, '--shard', '2/4'),
        swaprace('check', ...SCENARIO, '--shard', '2/4', '--max-states', '10'),
        swaprace('check', 'anon-direct-aba', '--kernel', 'v6.7', '--shard', '1/2'),
      ]);
      assert.equal(clean.code, 0, 'a CI matrix runs each shard as a job of its own');
      assert.match(clean.stdout, /^anon-direct-aba on v6\.8: no violation in shard 2\/4\n {2}only shard 2\/4 of the search ran \(up to depth 400\): merge every shard's --json result with swaprace merge for the verdict\n/);
      assert.doesNotMatch(clean.stdout, /verified|no interleaving/);
      assert.equal(bounded.code, 3);
      assert.match(bounded.stdout, /: BOUNDED\n {2}stopped at the states limit before shard 2\/4 of the search finished; no violation found so far\n/);
      assert.equal(violation.code, 1, 'a violation in one shard is a violation');
      assert.match(violation.stdout, /^anon-direct-aba on v6\.7: VIOLATION of no-stale-install\n/);
    });

    it('keeps the verdict merge reads in its --json result, and merge speaks of the whole search', async () => {
      const shard = JSON.parse(readFileSync(shards[0], 'utf8'));
      assert.equal(shard.verdict, 'verified');
      assert.deepEqual(shard.shard, { index: 0, count: 3 });
      const [text, asJson] = await Promise.all([swaprace('merge', ...shards), swaprace('merge', ...shards, '--json')]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^anon-direct-aba on v6\.8: verified\n {2}no interleaving up to depth 400 breaks a property\n/);
      assert.match(text.stdout, /\nmerged 3 results\n$/);
      assert.equal(json(asJson).message, 'no interleaving up to depth 400 breaks a property');
    });
  });

  describe('missing shards', () => {
    it('are listed when few, summarised when many, and "merged 1 result" is singular', async () => {
      const lastOfMany = edited(shards[0], 'last-of-many', { shard: { index: MAX_SHARDS - 1, count: MAX_SHARDS } });
      const [few, many] = await Promise.all([swaprace('merge', shards[1], '--json'), swaprace('merge', lastOfMany)]);
      assert.equal(few.code, 3);
      assert.equal(json(few).message, 'shards 1, 3 of 3 missing: the search is incomplete');
      assert.equal(many.code, 3);
      assert.match(many.stdout, /\n {2}shards 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and [\d,]+ more of [\d,]+ missing: the search is incomplete\n/);
      assert.ok(many.stdout.length < 1000, `${many.stdout.length} characters`);
      assert.match(many.stdout, /\nmerged 1 result\n$/);
    });
  });

  describe('rejects what no search of swaprace produces', () => {
    it('a shard index or count that --shard k/n does not take, before counting its shards', async () => {
      const files = [
        edited(shards[0], 'billion', { shard: { index: 0, count: 1_000_000_000 } }),
        edited(shards[0], 'one-too-many', { shard: { index: 0, count: MAX_SHARDS + 1 } }),
        edited(shards[0], 'index-past-count', { shard: { index: 3, count: 3 } }),
      ];
      const runs = await Promise.all(files.map((file) => swaprace('merge', file)));
      for (const run of runs) assertCleanError(run, new RegExp(`\\.json: expected "shard" to be null or \\{ index, count \\} with index < count <= ${MAX_SHARDS}, as --shard takes\\n$`));
    });

    it('an unknown kernel', async () => {
      const run = await swaprace('merge', edited(shards[0], 'v99', { kernel: 'v99' }));
      assertCleanError(run, /v99\.json: expected "kernel" to be one of v5\.13, v6\.7, .*\n$/);
    });

    it('a violation without a schedule, or with a malformed one', async () => {
      const violation = { verdict: 'violation', property: 'no-stale-install' };
      const [none, malformed, wrapped] = await Promise.all([
        swaprace('merge', edited(shards[0], 'no-schedule', { ...violation, schedule: null })),
        swaprace('merge', edited(shards[0], 'bad-schedule', { ...violation, schedule: 'x.y' })),
        // Terminal control characters around a schedule that parses.
        swaprace('merge', edited(shards[0], 'wrapped-schedule', { ...violation, schedule: '\u000b\r\n\u2028' + '0.0.1' + '\r\n' })),
      ]);
      assertCleanError(none, /no-schedule\.json: expected a "schedule" in a violation\n$/);
      assertCleanError(malformed, /bad-schedule\.json: expected "schedule" to be null or a schedule such as "0\.0\.1\.2\/1"\n$/);
      assertCleanError(wrapped, /wrapped-schedule\.json: expected "schedule" to be null or a schedule such as "0\.0\.1\.2\/1"\n$/);
    });
  });

  describe('rejects results of different searches, naming both files and the field', () => {
    it('shards of two scenario files with one id', async () => {
      const copy = join(scratch, 'copy', 'direct-aba.swaprace.json');
      mkdirSync(join(scratch, 'copy'));
      copyFileSync(FIXTURE, copy);
      const [original, other] = await Promise.all([result('original-1of2', FIXTURE, '--shard', '1/2'), result('copy-2of2', copy, '--shard', '2/2')]);
      const run = await swaprace('merge', original, other);
      assertCleanError(run, mismatch('file', ONE_CHECK, [`"${FIXTURE}"`, 'original-1of2.json'], [`"${copy}"`, 'copy-2of2.json']));
    });

    it('but takes one file named two ways for one file', async () => {
      const [plain, dotted] = await Promise.all([result('plain-1of2', FIXTURE, '--shard', '1/2'), result('dotted-2of2', `./${FIXTURE}`, '--shard', '2/2')]);
      const run = await swaprace('merge', plain, dotted);
      assert.equal(run.code, 1, run.stderr);
    });

    it('shards searched with another strategy, seed, limit or n, or a whole search among shards', async () => {
      const [dfs, seed, depth, memory, halves, whole] = await Promise.all([
        result('dfs-2of3', ...SCENARIO, '--shard', '2/3', '--strategy', 'dfs'),
        result('seed-2of3', ...SCENARIO, '--shard', '2/3', '--seed', '7'),
        result('depth-2of3', ...SCENARIO, '--shard', '2/3', '--max-depth', '300'),
        result('memory-2of3', ...SCENARIO, '--shard', '2/3', '--max-memory', '512'),
        result('2of2', ...SCENARIO, '--shard', '2/2'),
        result('whole', ...SCENARIO),
      ]);
      const [strategyRun, seedRun, depthRun, memoryRun, countRun, wholeRun] = await Promise.all(
        [dfs, seed, depth, memory, halves, whole].map((other) => swaprace('merge', shards[0], other)),
      );
      assertCleanError(strategyRun, mismatch('strategy', ONE_CHECK, ['"portfolio"', 'shard-1.json'], ['"dfs"', 'dfs-2of3.json']));
      assertCleanError(seedRun, mismatch('seed', ONE_SEARCH, ['1', 'shard-1.json'], ['7', 'seed-2of3.json']));
      assertCleanError(depthRun, mismatch('limits.maxDepth', ONE_CHECK, ['400', 'shard-1.json'], ['300', 'depth-2of3.json']));
      assertCleanError(memoryRun, mismatch('limits.maxMemoryMb', ONE_CHECK, ['null', 'shard-1.json'], ['512', 'memory-2of3.json']));
      assertCleanError(countRun, mismatch('shard.count', ONE_SEARCH, ['3', 'shard-1.json'], ['2', '2of2.json']));
      assertCleanError(wholeRun, mismatch('shard.count', ONE_SEARCH, ['3', 'shard-1.json'], ['null', 'whole.json']));
    });

    it('but merges repeated runs that differ only in their seed', async () => {
      const runs = await Promise.all([1, 2].map((seed) => result(`random-${seed}`, ...SCENARIO, '--strategy', 'random', '--seed', String(seed))));
      const run = await swaprace('merge', ...runs, '--json');
      assert.equal(run.code, 3, run.stderr);
      const merged = json(run);
      assert.equal(merged.bound, 'samples');
      assert.equal(merged.strategy, 'random');
      assert.equal(merged.seed, null, 'no one seed produced the merged result');
    });

    it('but not one run twice, or two runs with one seed: their stats would count one search twice', async () => {
      const [once, again] = await Promise.all(['once', 'again'].map((name) => result(name, ...SCENARIO, '--strategy', 'random', '--seed', '3')));
      const [twice, sameSeed] = await Promise.all([swaprace('merge', once, once), swaprace('merge', once, again)]);
      assertCleanError(twice, new RegExp(`^swaprace: cannot merge: ${once} and ${once} are runs of one check with one seed \\(3\\): one search twice\\n$`));
      assertCleanError(sameSeed, /^swaprace: cannot merge: .*once\.json and .*again\.json are runs of one check with one seed \(3\): one search twice\n$/);
    });
  });
});
