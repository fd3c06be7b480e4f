import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_BOUNDS, DEFAULT_DEVICE, formatScenarioError, parseScenario, ROOT_FIELD } from '../../src/core/scenario/parse';
import { BUILTIN_SCENARIOS } from '../../src/core/scenario/builtins';
import { PROPERTY_IDS, type ParseResult, type Scenario } from '../../src/core/scenario/types';
import { KNOWN_KERNELS, mutatedScenarioFile, validScenarioFile, type JsonObject, type PageFile } from './helpers/scenario-arbitrary';

const FILE = 'demo.swaprace.json';

function parse(text: string): ParseResult {
  return parseScenario(text, FILE, KNOWN_KERNELS);
}

function scenarioOf(text: string): Scenario {
  const result = parse(text);
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatScenarioError).join('\n'));
  return result.scenario;
}

/** The errors of `text`, formatted, so that one assertion covers position, field and message. */
function errorsOf(text: string): string[] {
  const result = parse(text);
  assert.ok(!result.ok, 'expected the parser to reject the text');
  return result.errors.map(formatScenarioError);
}

/** A small valid file, one field per line, that the error tests break in one place each. */
const BASE = `{
  "id": "demo",
  "kernel": "v6.8",
  "pages": [
    { "name": "p" },
    { "name": "q", "initial": "none" }
  ],
  "threads": [
    { "name": "t1", "ops": [{ "op": "read", "page": "p" }] },
    { "name": "t2", "ops": [{ "op": "fork", "page": "p", "into": "q" }] }
  ]
}`;

function base(from: string, to: string): string {
  assert.ok(BASE.includes(from), `BASE does not contain ${from}`);
  return BASE.replace(from, to);
}

describe('parseScenario', () => {
  describe('valid files', () => {
    it('reads a file that gives every field', () => {
      const text = `{
        "$schema": "../schema/swaprace.schema.json",
        "id": "full-example",
        "title": "Every field given",
        "description": "A parent and its fork child share the entry in slot 1.",
        "reference": "S3",
        "kernel": "v6.12",
        "device": { "synchronous": false, "slots": 3, "allocator": "any-free", "discardOnFree": true,
                    "reuse": "batched", "batchSize": 3, "zswap": true, "swapFull": true },
        "pages": [
          { "name": "parent", "kind": "anon", "mm": 0, "initial": "swapped", "slot": 1, "cached": true, "sharedWith": "child" },
          { "name": "child", "kind": "anon", "mm": 1, "initial": "none" },
          { "name": "shm", "kind": "shmem", "mm": 2, "initial": "present" },
          { "name": "new", "mm": 1, "initial": "none" },
          { "name": "anon", "mm": 0, "initial": "present" }
        ],
        "threads": [
          { "name": "A", "ops": [{ "op": "write", "page": "parent" }, { "op": "fork", "page": "anon", "into": "new" }] },
          { "name": "B", "ops": [{ "op": "reclaim", "page": "shm" }, { "op": "munmap", "page": "child" }, { "op": "swapoff" }] }
        ],
        "properties": ["no-lost-write", "fault-completes"],
        "bounds": { "maxStates": 1000, "maxDepth": 50, "timeoutMs": 5000 },
        "expect": { "v6.12": "fail", "v7.0": "pass" }
      }`;
      const expected: Scenario = {
        id: 'full-example',
        title: 'Every field given',
        description: 'A parent and its fork child share the entry in slot 1.',
        reference: 'S3',
        kernel: 'v6.12',
        device: { synchronous: false, slots: 3, allocator: 'any-free', discardOnFree: true, reuse: 'batched', batchSize: 3, zswap: true, swapFull: true },
        pages: [
          { name: 'parent', kind: 'anon', mm: 0, initial: 'swapped', slot: 1, cached: true, sharedWith: 'child' },
          { name: 'child', kind: 'anon', mm: 1, initial: 'none', cached: false },
          { name: 'shm', kind: 'shmem', mm: 2, initial: 'present', cached: false },
          { name: 'new', kind: 'anon', mm: 1, initial: 'none', cached: false },
          { name: 'anon', kind: 'anon', mm: 0, initial: 'present', cached: false },
        ],
        threads: [
          { name: 'A', ops: [{ op: 'write', page: 'parent' }, { op: 'fork', page: 'anon', into: 'new' }] },
          { name: 'B', ops: [{ op: 'reclaim', page: 'shm' }, { op: 'munmap', page: 'child' }, { op: 'swapoff' }] },
        ],
        properties: ['no-lost-write', 'fault-completes'],
        bounds: { maxStates: 1000, maxDepth: 50, timeoutMs: 5000 },
        expect: { 'v6.12': 'fail', 'v7.0': 'pass' },
      };
      assert.deepEqual(scenarioOf(text), expected);
    });

    it('fills in every default', () => {
      const scenario = scenarioOf(BASE);
      assert.equal(scenario.title, 'demo');
      assert.equal(scenario.description, '');
      assert.equal(scenario.reference, undefined);
      assert.deepEqual(scenario.device, {
        synchronous: true,
        slots: 2,
        allocator: 'lowest-free',
        discardOnFree: false,
        reuse: 'immediate',
        batchSize: 2,
        zswap: false,
        swapFull: false,
      });
      assert.deepEqual(scenario.pages, [
        { name: 'p', kind: 'anon', mm: 0, initial: 'swapped', slot: 0, cached: false },
        { name: 'q', kind: 'anon', mm: 0, initial: 'none', cached: false },
      ]);
      assert.deepEqual(scenario.properties, [...PROPERTY_IDS]);
      assert.deepEqual(scenario.bounds, { maxStates: 5_000_000, maxDepth: 400, timeoutMs: 60_000 });
      assert.deepEqual(scenario.expect, {});
    });

    it('merges a partial device and partial bounds with the defaults', () => {
      const scenario = scenarioOf(base('"kernel": "v6.8",', '"kernel": "v6.8", "device": { "slots": 4 }, "bounds": { "maxDepth": 9 },'));
      assert.deepEqual(scenario.device, { ...DEFAULT_DEVICE, slots: 4 });
      assert.deepEqual(scenario.bounds, { ...DEFAULT_BOUNDS, maxDepth: 9 });
    });

    it('gives a swapped page without a slot the lowest slot that no page names and no earlier page took', () => {
      const scenario = scenarioOf(`{ "id": "slots", "kernel": "v6.8", "device": { "slots": 4 },
        "pages": [{ "name": "a" }, { "name": "b", "slot": 0 }, { "name": "c", "initial": "present" }, { "name": "d" }, { "name": "e", "slot": 2 }],
        "threads": [{ "name": "t", "ops": [{ "op": "read", "page": "a" }] }] }`);
      assert.deepEqual(
        scenario.pages.map((p) => p.slot),
        [1, 0, undefined, 3, 2],
      );
    });

    it('reads every built-in scenario written out as a file', () => {
      for (const builtin of BUILTIN_SCENARIOS) {
        const scenario = scenarioOf(JSON.stringify(builtin));
        // Built-ins may leave a swapped page's slot out; the parser always fills it in.
        const slotsAsGiven = scenario.pages.map((page, i) => (builtin.pages[i].slot === undefined ? { ...page, slot: undefined } : page));
        assert.deepEqual(JSON.parse(JSON.stringify({ ...scenario, pages: slotsAsGiven })), JSON.parse(JSON.stringify(builtin)), builtin.id);
      }
    });

    it('accepts comments, trailing commas and a byte order mark', () => {
      const text = '\uFEFF' + base('"id": "demo",', '// a comment\n  "id": "demo", /* another */').replace('"page": "p" }] },', '"page": "p", }] },');
      assert.equal(scenarioOf(text).id, 'demo');
    });

    it('accepts names of any characters up to 40 code points', () => {
      const name = '🐧'.repeat(40);
      assert.equal(scenarioOf(base('"name": "p" }', `"name": "${name}" }`).replaceAll('"page": "p"', `"page": "${name}"`)).pages[0].name, name);
    });
  });

  describe('errors', () => {
    it('formats an error as file:line:column: field: message', () => {
      assert.equal(formatScenarioError({ file: 'a.swaprace.json', line: 3, column: 7, field: 'pages[0].kind', message: 'm' }), 'a.swaprace.json:3:7: pages[0].kind: m');
    });

    it('reports a syntax error where it is, with the path being written', () => {
      assert.deepEqual(errorsOf(base('{ "name": "p" },', '{ "name": "p" "kind": "anon" },')), [
        `${FILE}:5:19: pages[0].name: expected "," between items`,
      ]);
    });

    it('reports a file cut off in the middle once, at its end', () => {
      assert.deepEqual(errorsOf(BASE.slice(0, BASE.indexOf('{ "name": "q"'))), [
        `${FILE}:6:5: pages[1]: expected a value, but the file ends here`,
      ]);
      assert.deepEqual(errorsOf(''), [`${FILE}:1:1: ${ROOT_FIELD}: expected a value, but the file ends here`]);
    });

    it('reports a value of the wrong type', () => {
      assert.deepEqual(errorsOf(base('{ "name": "p" }', '{ "name": "p", "mm": "1", "cached": 0 }')), [
        `${FILE}:5:26: pages[0].mm: expected an integer from 0 to 7 but got "1"`,
        `${FILE}:5:41: pages[0].cached: expected true or false but got 0`,
      ]);
      assert.deepEqual(errorsOf(base('"id": "demo"', '"id": 42')), [`${FILE}:2:9: id: expected a string but got 42`]);
      assert.deepEqual(errorsOf(base('"ops": [{ "op": "read", "page": "p" }]', '"ops": { "op": "read" }')), [
        `${FILE}:9:28: threads[0].ops: expected an array of operations but got an object`,
      ]);
    });

    it('reports a value outside an enum, listing the allowed values', () => {
      assert.deepEqual(errorsOf(base('{ "name": "p" }', '{ "name": "p", "kind": "anonymous" }')), [
        `${FILE}:5:28: pages[0].kind: expected one of "anon", "shmem" but got "anonymous"`,
      ]);
      assert.deepEqual(errorsOf(base('"op": "read"', '"op": "load"')), [
        `${FILE}:9:37: threads[0].ops[0].op: expected one of "read", "write", "reclaim", "munmap", "dontneed", "fork", "swapoff" but got "load"`,
      ]);
    });

    it('reports a reference to an undeclared page', () => {
      assert.deepEqual(errorsOf(base('"op": "read", "page": "p"', '"op": "read", "page": "P"')), [
        `${FILE}:9:53: threads[0].ops[0].page: expected one of the declared pages "p", "q" but got "P"`,
      ]);
    });

    it('reports an unknown kernel at the kernel field and lists the known ones', () => {
      assert.deepEqual(errorsOf(base('"v6.8"', '"v6.9"')), [
        `${FILE}:3:13: kernel: expected one of the known kernels "v5.13", "v6.7", "shmem-bypass-2023", "v6.8", "v6.12", "v6.14", "v6.18", "v7.0" but got "v6.9"`,
      ]);
      assert.deepEqual(errorsOf(base('"kernel": "v6.8",', '"kernel": "v6.8", "expect": { "v6.9": "pass" },')), [
        `${FILE}:3:33: expect["v6.9"]: expected one of the known kernels "v5.13", "v6.7", "shmem-bypass-2023", "v6.8", "v6.12", "v6.14", "v6.18", "v7.0" but got "v6.9"`,
      ]);
    });

    it('reports duplicate page and thread names at the second one', () => {
      const text = base('"name": "t2"', '"name": "t1"').replace('"initial": "none" }', '"initial": "none" }, { "name": "p", "initial": "present" }');
      assert.deepEqual(errorsOf(text), [
        `${FILE}:6:51: pages[2].name: expected a unique name but "p" is already used by pages[0]`,
        `${FILE}:10:15: threads[1].name: expected a unique name but "t1" is already used by threads[0]`,
      ]);
    });

    it('reports absurd sizes and bounds with the allowed range', () => {
      const ninePages = Array.from({ length: 9 }, (_, i) => `{ "name": "p${i}", "initial": "present" }`).join(', ');
      const text = `{ "id": "big", "kernel": "v6.8",
  "device": { "slots": 100 },
  "pages": [${ninePages}],
  "threads": [{ "name": "t", "ops": [] }],
  "bounds": { "maxStates": 1e12, "maxDepth": 0, "timeoutMs": 1.5 }
}`;
      assert.deepEqual(errorsOf(text), [
        `${FILE}:2:24: device.slots: expected an integer from 1 to 8 but got 100`,
        `${FILE}:3:12: pages: expected 1 to 8 pages but got 9`,
        `${FILE}:4:37: threads[0].ops: expected 1 to 8 operations but got 0`,
        `${FILE}:5:28: bounds.maxStates: expected an integer from 1 to 1000000000 but got 1000000000000`,
        `${FILE}:5:46: bounds.maxDepth: expected an integer from 1 to 10000 but got 0`,
        `${FILE}:5:62: bounds.timeoutMs: expected an integer from 1 to 86400000 but got 1.5`,
      ]);
    });

    it('reports unknown keys at the key, suggesting a close one', () => {
      assert.deepEqual(errorsOf(base('"kernel": "v6.8",', '"kernel": "v6.8", "thread": [], "colour": "red",')), [
        `${FILE}:3:21: thread: unknown field; did you mean "threads"?`,
        `${FILE}:3:35: colour: unknown field; expected one of "id", "title", "description", "reference", "kernel", "device", "pages", "threads", "properties", "bounds", "expect"`,
      ]);
      assert.deepEqual(errorsOf(base('"op": "read", "page": "p"', '"op": "read", "page": "p", "into": "q"')), [
        `${FILE}:9:58: threads[0].ops[0].into: unknown field for a "read" operation; expected one of "op", "page"`,
      ]);
    });

    it('reports a missing required field at its object', () => {
      assert.deepEqual(errorsOf(base('  "id": "demo",\n', '')), [`${FILE}:1:1: id: required field is missing`]);
      assert.deepEqual(errorsOf(base(', "into": "q"', '')), [`${FILE}:10:29: threads[1].ops[0].into: required field is missing`]);
    });

    it('reports a repeated key', () => {
      assert.deepEqual(errorsOf(base('"id": "demo",', '"id": "demo", "id": "demo",')), [`${FILE}:2:17: id: expected each key once, but this one is repeated`]);
    });

    it('reports fork targets that are not new pages', () => {
      assert.deepEqual(errorsOf(base('"page": "p", "into": "q"', '"page": "q", "into": "p"')), [
        `${FILE}:10:66: threads[1].ops[0].into: expected a page whose initial is "none" (the fork creates it) but "p" is "swapped"`,
      ]);
      assert.deepEqual(errorsOf(base('"page": "p", "into": "q"', '"page": "q", "into": "q"')), [
        `${FILE}:10:66: threads[1].ops[0].into: expected another page: a page cannot be forked into itself`,
      ]);
      const twoForks = base('"op": "read", "page": "p"', '"op": "fork", "page": "p", "into": "q"');
      assert.deepEqual(errorsOf(twoForks), [
        `${FILE}:10:66: threads[1].ops[0].into: expected a page no other fork creates, but threads[0].ops[0] already forks into "q"`,
      ]);
    });

    it('reports a fork of a shmem page, or into one: parent and child map the one shmem page', () => {
      assert.deepEqual(errorsOf(base('{ "name": "p" },', '{ "name": "p", "kind": "shmem" },')), [
        `${FILE}:10:53: threads[1].ops[0].page: expected an anon page (a fork copies anon PTEs; a shmem page stays the file's) but "p" is shmem`,
      ]);
      assert.deepEqual(errorsOf(base('{ "name": "q", "initial": "none" }', '{ "name": "q", "initial": "none", "kind": "shmem" }')), [
        `${FILE}:10:66: threads[1].ops[0].into: expected an anon page (a fork creates anon PTEs) but "q" is shmem`,
      ]);
    });

    it('reports MADV_DONTNEED of a shmem page: the model\'s shmem page is the file\'s, which it leaves alone', () => {
      const shmem = base('{ "name": "p" },', '{ "name": "p", "kind": "shmem" },')
        .replace('{ "op": "read", "page": "p" }', '{ "op": "dontneed", "page": "p" }')
        .replace('{ "op": "fork", "page": "p", "into": "q" }', '{ "op": "read", "page": "q" }');
      assert.deepEqual(errorsOf(shmem), [
        `${FILE}:9:57: threads[0].ops[0].page: expected an anon page (MADV_DONTNEED of a shmem mapping leaves the file's page; "munmap" of a shmem page truncates it) but "p" is shmem`,
      ]);
      assert.ok(parse(base('{ "op": "read", "page": "p" }', '{ "op": "dontneed", "page": "p" }')).ok);
    });

    it('reports a use of a forked page before its fork in the forking thread; another thread may use it, waiting for the fork', () => {
      const readFirst = base('{ "op": "fork", "page": "p", "into": "q" }', '{ "op": "read", "page": "q" }, { "op": "fork", "page": "p", "into": "q" }');
      assert.deepEqual(errorsOf(readFirst), [
        `${FILE}:10:53: threads[1].ops[0].page: expected a page that exists here, but "q" is created by the fork at threads[1].ops[1], which this thread has not run yet: use it after the fork, or from another thread (which waits for the fork)`,
      ]);
      assert.ok(parse(base('{ "op": "read", "page": "p" }', '{ "op": "munmap", "page": "q" }')).ok, 'another thread waits for the fork');
      const afterwards = base('{ "op": "fork", "page": "p", "into": "q" }', '{ "op": "fork", "page": "p", "into": "q" }, { "op": "write", "page": "q" }');
      assert.ok(parse(afterwards).ok);
      assert.ok(parse(base('{ "op": "read", "page": "p" }', '{ "op": "reclaim", "page": "q" }')).ok, 'reclaim may meet it at any time');
    });

    it('reports forks whose waits go round in a circle: each thread uses the page the other forks first', () => {
      const circle = base('{ "name": "q", "initial": "none" }', '{ "name": "q", "initial": "none" }, { "name": "r", "initial": "none" }')
        .replace('{ "op": "read", "page": "p" }', '{ "op": "read", "page": "q" }, { "op": "fork", "page": "p", "into": "r" }')
        .replace('{ "op": "fork", "page": "p", "into": "q" }', '{ "op": "read", "page": "r" }, { "op": "fork", "page": "p", "into": "q" }');
      assert.deepEqual(errorsOf(circle), [
        `${FILE}:9:53: threads[0].ops[0].page: expected a page whose fork can run first, but the fork at threads[1].ops[1] that creates "q" never runs: the threads' waits for forks go round in a circle`,
        `${FILE}:10:53: threads[1].ops[0].page: expected a page whose fork can run first, but the fork at threads[0].ops[1] that creates "r" never runs: the threads' waits for forks go round in a circle`,
      ]);
      // A third thread waiting behind the circle is told so too.
      const behind = circle.replace('"threads": [', '"threads": [\n    { "name": "t0", "ops": [{ "op": "write", "page": "q" }] },');
      assert.deepEqual(errorsOf(behind).map((e) => e.split(': ').slice(0, 2).join(': ')), [`${FILE}:9:54`, `${FILE}:10:53`, `${FILE}:11:53`].map((at, i) => `${at}: threads[${i}].ops[0].page`));
      // One thread waiting for the other's fork is no circle.
      assert.ok(parse(circle.replace('{ "op": "read", "page": "r" }, ', '')).ok);
    });

    it('reports slots that are out of range or taken', () => {
      const text = base('{ "name": "p" },', '{ "name": "p", "slot": 1 }, { "name": "r", "slot": 1 }, { "name": "s", "slot": 2 },');
      assert.deepEqual(errorsOf(text), [
        `${FILE}:5:56: pages[1].slot: expected a free slot but slot 1 already holds "p"; to share one entry, name the other page in "sharedWith"`,
        `${FILE}:5:84: pages[2].slot: expected an integer from 0 to 1 but got 2`,
      ]);
      const full = base('{ "name": "p" },', '{ "name": "p" }, { "name": "r" }, { "name": "s" },');
      assert.deepEqual(errorsOf(full), [`${FILE}:5:39: pages[2]: expected a free slot for this swapped page, but all 2 slots of the device are taken`]);
    });

    it('reports swap-only fields on pages that are not swapped', () => {
      assert.deepEqual(errorsOf(base('{ "name": "q", "initial": "none" }', '{ "name": "q", "initial": "none", "cached": true, "slot": 1 }')), [
        `${FILE}:6:39: pages[1].cached: expected no "cached": it applies only to pages whose initial is "swapped", and this one is "none"`,
        `${FILE}:6:55: pages[1].slot: expected no "slot": it applies only to pages whose initial is "swapped", and this one is "none"`,
      ]);
      // What a parsed scenario holds for such a page is accepted, so that scenarios written out read back.
      assert.ok(parse(base('{ "name": "q", "initial": "none" }', '{ "name": "q", "initial": "none", "cached": false }')).ok);
    });

    it('reports sharedWith links that break the rule', () => {
      const pages = (...list: string[]) => `{ "id": "share", "kernel": "v6.8", "device": { "slots": 4 },
"pages": [${list.join(', ')}],
"threads": [{ "name": "t", "ops": [{ "op": "swapoff" }] }] }`;
      assert.deepEqual(errorsOf(pages('{ "name": "a", "sharedWith": "a" }')), [
        `${FILE}:2:40: pages[0].sharedWith: expected another page: a page cannot share its entry with itself`,
      ]);
      assert.deepEqual(errorsOf(pages('{ "name": "a", "sharedWith": "b" }', '{ "name": "b" }')), [
        `${FILE}:2:40: pages[0].sharedWith: expected a page whose initial is "none" (its PTE is copied from this one) but "b" is "swapped"`,
      ]);
      assert.deepEqual(errorsOf(pages('{ "name": "a", "sharedWith": "b" }', '{ "name": "b", "kind": "shmem", "initial": "none" }')), [
        `${FILE}:2:40: pages[0].sharedWith: expected two anon pages (fork shares the swap entries of anon pages only) but "b" is shmem`,
      ]);
      assert.deepEqual(errorsOf(pages('{ "name": "a", "sharedWith": "c" }', '{ "name": "b", "sharedWith": "c" }', '{ "name": "c", "initial": "none" }')), [
        `${FILE}:2:76: pages[1].sharedWith: expected a page no other page shares with, but "a" already shares its entry with "c"`,
      ]);
      assert.deepEqual(errorsOf(pages('{ "name": "a", "sharedWith": "b" }', '{ "name": "b", "initial": "none", "sharedWith": "a" }')), [
        `${FILE}:2:81: pages[1].sharedWith: expected no "sharedWith": it applies only to pages whose initial is "swapped", and this one is "none"`,
      ]);
      const forkedChild = base('{ "name": "p" },', '{ "name": "p", "sharedWith": "q" },');
      assert.deepEqual(errorsOf(forkedChild), [
        `${FILE}:10:66: threads[1].ops[0].into: expected a page no other page creates, but "p" already shares its entry with "q"`,
      ]);
    });

    it('reports operands that an operation does not take or lacks', () => {
      assert.deepEqual(errorsOf(base('{ "op": "read", "page": "p" }', '{ "op": "swapoff", "page": "p" }')), [
        `${FILE}:9:48: threads[0].ops[0].page: unknown field for a "swapoff" operation; expected one of "op"`,
      ]);
    });

    it('refuses nesting deeper than any scenario needs, and files far larger than one', () => {
      assert.deepEqual(errorsOf('['.repeat(100_000)), [`${FILE}:1:65: ${ROOT_FIELD}: expected at most 64 levels of nested objects and arrays`]);
      const huge = `{"id": "${'x'.repeat(2_000_000)}"}`;
      assert.deepEqual(errorsOf(huge), [`${FILE}:1:1: ${ROOT_FIELD}: expected a scenario file of at most 1048576 characters but got ${huge.length}`]);
    });

    it('reports at most 50 errors and says that more were found', () => {
      // 6 threads of 8 operations on an undeclared page, each with an unknown field: 96 errors.
      const ops = Array(8).fill('{ "op": "read", "page": "nope", "x": 1 }').join(', ');
      const threads = Array.from({ length: 6 }, (_, i) => `{ "name": "t${i}", "ops": [${ops}] }`);
      const errors = errorsOf(`{ "id": "many", "kernel": "v6.8", "pages": [{ "name": "p" }],\n"threads": [\n${threads.join(',\n')}] }`);
      assert.equal(errors.length, 51);
      assert.equal(errors[0], `${FILE}:3:49: threads[0].ops[0].page: expected one of the declared pages "p" but got "nope"`);
      assert.equal(errors[50], `${FILE}:6:91: threads[3].ops[1].page: 46 more errors from here on are not shown`);
    });

    it('checks only the items within a list\'s limit, so that a huge list is refused at once', () => {
      // Every thread waits for the next one's fork: the waits are checked across all the threads given.
      const n = 8000;
      const pages = [{ name: 'a' }, ...Array.from({ length: n }, (_, i) => ({ name: `${i}`, initial: 'none' }))];
      const threads = Array.from({ length: n }, (_, t) => ({ name: `${t}`, ops: [{ op: 'read', page: `${t}` }, ...(t > 0 ? [{ op: 'fork', page: 'a', into: `${t - 1}` }] : [])] }));
      const started = Date.now();
      const errors = errorsOf(JSON.stringify({ id: 'chain', kernel: 'v6.8', pages, threads }));
      assert.deepEqual(errors.map((e) => e.replace(/^[^ ]* /, '')), [`pages: expected 1 to 8 pages but got ${n + 1}`, `threads: expected 1 to 6 threads but got ${n}`]);
      // All of them took 18 s; now a fraction of a second.
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      // An item past the limit is not looked at.
      const seventh = base('{ "name": "t2", "ops": [{ "op": "fork", "page": "p", "into": "q" }] }',
        '{ "name": "t2", "ops": [{ "op": "fork", "page": "p", "into": "q" }] }, { "name": "t3" }, { "name": "t4" }, { "name": "t5" }, { "name": "t6" }, { "name": "t7", "ops": [] }');
      assert.deepEqual(errorsOf(seventh).map((e) => e.replace(/^[^ ]* /, '')), [
        'threads: expected 1 to 6 threads but got 7',
        ...['t3', 't4', 't5', 't6'].map((_, i) => `threads[${i + 2}].ops: required field is missing`),
      ]);
    });
  });

  describe('property-based', () => {
    /** Every error names the file, a position inside the text, and a field; nothing leaks out as an internal error. */
    function assertWellFormed(text: string, result: ParseResult): void {
      if (result.ok) return;
      assert.ok(result.errors.length > 0);
      const lines = text.split(/\r\n|\r|\n/);
      for (const error of result.errors) {
        assert.equal(error.file, FILE);
        assert.ok(error.line >= 1 && error.line <= lines.length, `line ${error.line} of ${lines.length}`);
        assert.ok(error.column >= 1 && error.column <= lines[error.line - 1].length + 1, `column ${error.column}`);
        assert.ok(error.field.length > 0);
        assert.ok(error.message.length > 0);
        assert.doesNotMatch(error.message, /^internal error/);
      }
    }

    const neverThrows = (text: string) => assertWellFormed(text, parse(text));

    it('never throws on arbitrary strings', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), neverThrows), { numRuns: 300 });
      fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'{}[],:"\\/*\n\r 0-e.tfnul'), maxLength: 100 }), neverThrows), { numRuns: 300 });
    });

    it('never throws on arbitrary JSON', () => {
      fc.assert(fc.property(fc.json(), neverThrows), { numRuns: 200 });
      fc.assert(fc.property(fc.jsonValue(), (value) => neverThrows(JSON.stringify(value, null, 2))), { numRuns: 200 });
    });

    it('never throws on valid files with a key deleted, a value replaced, or the text cut short', () => {
      const mutated = fc.oneof(
        mutatedScenarioFile.map((file) => JSON.stringify(file, null, 2)),
        fc.tuple(validScenarioFile, fc.nat()).map(([file, n]) => {
          const text = JSON.stringify(file, null, 2);
          return text.slice(0, n % text.length);
        }),
      );
      fc.assert(fc.property(mutated, neverThrows), { numRuns: 300 });
    });

    it('reads a parsed scenario, written out, back to itself', () => {
      fc.assert(
        fc.property(validScenarioFile, (file) => {
          const scenario = scenarioOf(JSON.stringify(file));
          assert.deepEqual(scenarioOf(JSON.stringify(scenario)), scenario);
        }),
        { numRuns: 100 },
      );
    });

    it('reads every valid file and keeps the fields it gives', () => {
      fc.assert(
        fc.property(validScenarioFile, (file) => {
          const result = parse(JSON.stringify(file, null, 2));
          assert.ok(result.ok, result.ok ? '' : result.errors.map(formatScenarioError).join('\n'));
          assertRoundTrip(file, result.scenario);
        }),
        { numRuns: 200 },
      );
    });
  });
});

/** The fields the file gives come back unchanged; the others hold their defaults or a valid derived value. */
function assertRoundTrip(file: JsonObject, scenario: Scenario): void {
  assert.equal(scenario.id, file.id);
  assert.equal(scenario.kernel, file.kernel);
  assert.equal(scenario.title, file.title ?? file.id);
  assert.equal(scenario.description, file.description ?? '');
  assert.equal(scenario.reference, file.reference);
  assert.deepEqual(scenario.device, { ...DEFAULT_DEVICE, ...(file.device as object | undefined) });
  assert.deepEqual(scenario.properties, file.properties ?? [...PROPERTY_IDS]);
  assert.deepEqual(scenario.bounds, { ...DEFAULT_BOUNDS, ...(file.bounds as object | undefined) });
  assert.deepEqual(scenario.expect, { ...(file.expect as object | undefined) });
  assert.deepEqual(scenario.threads, file.threads);

  const pages = file.pages as PageFile[];
  assert.equal(scenario.pages.length, pages.length);
  const slotHolders = new Map<number, string>();
  scenario.pages.forEach((page, i) => {
    const given = pages[i];
    assert.equal(page.name, given.name);
    assert.equal(page.kind, given.kind ?? 'anon');
    assert.equal(page.mm, given.mm ?? 0);
    assert.equal(page.initial, given.initial ?? 'swapped');
    assert.equal(page.sharedWith, given.sharedWith);
    const parent = scenario.pages.find((p) => p.sharedWith === page.name);
    if (page.initial !== 'swapped') {
      assert.equal(page.slot, undefined);
      assert.equal(page.cached, false);
    } else if (parent) {
      assert.equal(page.slot, parent.slot);
      assert.equal(page.cached, parent.cached);
    } else {
      assert.equal(page.cached, given.cached ?? false);
      if (given.slot !== undefined) assert.equal(page.slot, given.slot);
      assert.ok(page.slot !== undefined && page.slot >= 0 && page.slot < scenario.device.slots, `slot ${page.slot}`);
      assert.ok(!slotHolders.has(page.slot), `slot ${page.slot} given twice`);
      slotHolders.set(page.slot, page.name);
    }
  });
}
