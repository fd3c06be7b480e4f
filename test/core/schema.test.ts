import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALLOCATOR_KINDS,
  DEFAULT_BOUNDS,
  DEFAULT_DEVICE,
  DEFAULT_PAGE,
  EXPECTATIONS,
  formatScenarioError,
  ID_PATTERN,
  LIMITS,
  OPERATION_KINDS,
  OPERATION_OPERANDS,
  PAGE_INITIALS,
  PAGE_KINDS,
  parseScenario,
  REFERENCE_PATTERN,
  REUSE_POLICIES,
} from '../../src/core/scenario/parse';
import { KERNEL_IDS } from '../../src/core/kernels/versions';
import { PROPERTY_DESCRIPTIONS, PROPERTY_IDS, type ParseResult } from '../../src/core/scenario/types';
import { KNOWN_KERNELS, type JsonObject, type JsonValue } from './helpers/scenario-arbitrary';

const REPO = join(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'scenarios');

type SchemaObject = JsonObject;
type Schema = boolean | SchemaObject;

const schema = JSON.parse(readFileSync(join(REPO, 'schema', 'swaprace.schema.json'), 'utf8')) as SchemaObject;

/** The subschema at a slash-separated path, e.g. `properties/device/properties/slots`. */
function at(path: string): SchemaObject {
  return path.split('/').reduce<SchemaObject>((node, key) => node[key] as SchemaObject, schema);
}

function parse(text: string, file = 'test.swaprace.json'): ParseResult {
  return parseScenario(text, file, KNOWN_KERNELS);
}

/** Keywords that only describe, for completion and hover: no validator reports anything because of them. */
const ANNOTATIONS = new Set(['$schema', '$comment', 'title', 'description', 'examples', 'default', 'enumDescriptions', 'defaultSnippets', 'allowComments', 'allowTrailingCommas']);

/**
 * What `subschema` asserts about a value, as `path/keyword`: anything but annotations, subschemas of parts of the
 * value that assert nothing themselves, and an `anyOf` one of whose choices is `true`, which takes any value.
 */
function assertions(subschema: Schema, path: string): string[] {
  if (subschema === true) return [];
  if (subschema === false) return [`${path}: false`];
  return Object.entries(subschema).flatMap(([keyword, argument]): string[] => {
    if (ANNOTATIONS.has(keyword) || keyword === '$ref') return [];
    switch (keyword) {
      case 'properties':
      case 'definitions':
        return Object.entries(argument as SchemaObject).flatMap(([key, child]) => assertions(child as Schema, `${path}/${keyword}/${key}`));
      case 'items':
      case 'additionalProperties':
      case 'propertyNames':
        return assertions(argument as Schema, `${path}/${keyword}`);
      case 'anyOf':
        return (argument as JsonValue[]).includes(true) ? [] : [`${path}/anyOf`];
      default:
        return [`${path}/${keyword}`];
    }
  });
}

/** The values editors offer at `path`, with their descriptions: the first choice of its `anyOf`. */
function knownValues(path: string): SchemaObject {
  return (at(path).anyOf as SchemaObject[])[0];
}

/** A valid document whose value at `path` is replaced, for checking one field in isolation. */
function documentWith(path: (string | number)[], value: JsonValue): JsonObject {
  const document: JsonObject = {
    id: 'probe',
    kernel: 'v6.8',
    device: {},
    pages: [{ name: 'p' }, { name: 'q', initial: 'none' }],
    threads: [{ name: 't', ops: [{ op: 'read', page: 'p' }] }],
    properties: ['fault-completes'],
    expect: {},
  };
  let parent = document as Record<string | number, JsonValue>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, JsonValue>;
  parent[path[path.length - 1]] = value;
  return document;
}

describe('swaprace.schema.json', () => {
  it('is a draft-07 schema whose every property has a description', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const undescribed: string[] = [];
    const walk = (node: SchemaObject, path: string) => {
      if (typeof node.description !== 'string' && typeof node.$ref !== 'string') undescribed.push(path);
      for (const [key, property] of Object.entries((node.properties ?? {}) as Record<string, SchemaObject>)) walk(property, `${path}/properties/${key}`);
      for (const key of ['items', 'additionalProperties', 'propertyNames'] as const) {
        if (typeof node[key] === 'object') walk(node[key] as SchemaObject, `${path}/${key}`);
      }
    };
    walk(schema, '#');
    for (const [name, definition] of Object.entries(at('definitions') as Record<string, SchemaObject>)) walk(definition, `#/definitions/${name}`);
    assert.deepEqual(undescribed, []);
  });

  it('gives a description for every enum value', () => {
    const walk = (node: JsonValue): void => {
      if (typeof node !== 'object' || node === null) return;
      if (!Array.isArray(node) && Array.isArray(node.enum) && node.enumDescriptions === undefined) {
        assert.fail(`enum ${JSON.stringify(node.enum)} has no enumDescriptions`);
      }
      if (!Array.isArray(node) && Array.isArray(node.enum) && Array.isArray(node.enumDescriptions)) {
        assert.equal(node.enumDescriptions.length, node.enum.length, `descriptions of ${JSON.stringify(node.enum)}`);
      }
      for (const child of Object.values(node)) walk(child);
    };
    walk(schema as JsonObject);
  });

  it('asserts nothing, so that each mistake in a file is reported once: by the parser, not by the editor\'s JSON validation too', () => {
    assert.deepEqual(assertions(schema, '#'), []);
  });

  describe('agrees with the parser on', () => {
    const enums: { schemaPath: string; values: readonly string[]; filePath: (string | number)[] }[] = [
      { schemaPath: 'properties/device/properties/allocator', values: ALLOCATOR_KINDS, filePath: ['device', 'allocator'] },
      { schemaPath: 'properties/device/properties/reuse', values: REUSE_POLICIES, filePath: ['device', 'reuse'] },
      { schemaPath: 'definitions/page/properties/kind', values: PAGE_KINDS, filePath: ['pages', 1, 'kind'] },
      { schemaPath: 'definitions/page/properties/initial', values: PAGE_INITIALS, filePath: ['pages', 1, 'initial'] },
      { schemaPath: 'definitions/operation/properties/op', values: OPERATION_KINDS, filePath: ['threads', 0, 'ops', 0, 'op'] },
      { schemaPath: 'properties/properties/anyOf/0/items', values: PROPERTY_IDS, filePath: ['properties', 0] },
      { schemaPath: 'properties/expect/additionalProperties', values: EXPECTATIONS, filePath: ['expect', 'v6.8'] },
    ];
    for (const { schemaPath, values, filePath } of enums) {
      it(`the values of ${filePath.filter((k) => typeof k === 'string').join('.')}`, () => {
        assert.deepEqual(knownValues(schemaPath).enum, [...values]);
        for (const value of values) {
          // A fork or swapoff operation needs other operands: check only that the parser knows the kind.
          const result = parse(JSON.stringify(documentWith(filePath, value)));
          const messages = result.ok ? [] : result.errors.map((e) => e.message);
          assert.ok(!messages.some((m) => m.includes(`but got "${value}"`)), `parser rejects "${value}": ${messages}`);
        }
        const rejected = parse(JSON.stringify(documentWith(filePath, 'bogus')));
        assert.ok(!rejected.ok && rejected.errors.some((e) => e.message.endsWith('but got "bogus"')));
      });
    }

    it('the ranges of numbers, array sizes and names, as the descriptions state them', () => {
      const ranges: [string, { min: number; max: number }][] = [
        ['properties/device/properties/slots', LIMITS.slots],
        ['properties/device/properties/batchSize', LIMITS.batchSize],
        ['definitions/page/properties/mm', LIMITS.mm],
        ['properties/bounds/properties/maxStates', LIMITS.maxStates],
        ['properties/bounds/properties/maxDepth', LIMITS.maxDepth],
        ['properties/bounds/properties/timeoutMs', LIMITS.timeoutMs],
        ['properties/pages', LIMITS.pages],
        ['properties/threads', LIMITS.threads],
        ['definitions/thread/properties/ops', LIMITS.opsPerThread],
        ['definitions/page/properties/name', { min: 1, max: LIMITS.nameLength }],
        ['definitions/thread/properties/name', { min: 1, max: LIMITS.nameLength }],
        ['properties/id', { min: 1, max: LIMITS.idLength }],
      ];
      for (const [path, { min, max }] of ranges) assert.ok(String(at(path).description).includes(`${min} to ${max}`), `${path}: ${at(path).description}`);
    });

    it('the values it offers: the new-scenario snippet and the reference races', () => {
      const [snippet] = schema.defaultSnippets as { body: JsonObject }[];
      // Each placeholder as the editor first fills it in: `${1:my-scenario}` -> `my-scenario`.
      const filled = JSON.stringify(snippet.body).replace(/\$\{\d+:([^}]*)\}/g, '$1');
      const result = parse(filled);
      assert.ok(result.ok && ID_PATTERN.test(result.scenario.id), result.ok ? result.scenario.id : result.errors.map(formatScenarioError).join('\n'));
      for (const reference of at('properties/reference').examples as string[]) assert.match(reference, REFERENCE_PATTERN);
    });

    it('the defaults', () => {
      for (const [key, value] of Object.entries(DEFAULT_DEVICE)) assert.equal(at(`properties/device/properties/${key}`).default, value, key);
      for (const [key, value] of Object.entries(DEFAULT_PAGE)) assert.equal(at(`definitions/page/properties/${key}`).default, value, key);
      for (const [key, value] of Object.entries(DEFAULT_BOUNDS)) assert.equal(at(`properties/bounds/properties/${key}`).default, value, key);
      assert.deepEqual(at('properties/properties').default, [...PROPERTY_IDS]);
    });

    it("the properties' descriptions (the SARIF rules say the same)", () => {
      assert.deepEqual(knownValues('properties/properties/anyOf/0/items').enumDescriptions, PROPERTY_IDS.map((id) => PROPERTY_DESCRIPTIONS[id]));
    });

    it('the operands of each operation, as its snippet writes them', () => {
      const snippets = new Map((at('definitions/operation').defaultSnippets as { label: string; body: JsonObject }[]).map(({ label, body }) => [label, body]));
      for (const kind of OPERATION_KINDS) {
        const operands = OPERATION_OPERANDS[kind];
        assert.deepEqual(Object.keys(snippets.get(kind) ?? {}), ['op', ...operands], `the snippet of ${kind}`);
        const exact: JsonObject = { op: kind, ...(operands.includes('page') && { page: 'p' }), ...(operands.includes('into') && { into: 'q' }) };
        const variants: [string, JsonObject][] = [
          ['exact', exact],
          ...operands.map((operand): [string, JsonObject] => [`without ${operand}`, Object.fromEntries(Object.entries(exact).filter(([k]) => k !== operand)) as JsonObject]),
          ...(['page', 'into'] as const).filter((o) => !operands.includes(o)).map((o): [string, JsonObject] => [`with ${o}`, { ...exact, [o]: 'q' }]),
        ];
        for (const [variant, op] of variants) assert.equal(parse(JSON.stringify(documentWith(['threads', 0, 'ops', 0], op))).ok, variant === 'exact', `parser, ${kind} ${variant}`);
      }
    });

    it('the kernel versions listed for editors, which are those of src/core/kernels', () => {
      const kernel = at('properties/kernel');
      assert.deepEqual(kernel.examples, [...KERNEL_IDS]);
      assert.deepEqual(at('properties/expect/propertyNames').examples, [...KERNEL_IDS]);
      for (const version of KERNEL_IDS) assert.ok(String(kernel.description).includes(version), version);
    });
  });

  describe('example files', () => {
    const valid = readdirSync(FIXTURES).filter((f) => f.endsWith('.swaprace.json'));

    it('include a few valid files and invalid ones', () => {
      assert.ok(valid.length >= 2);
      assert.ok(readdirSync(join(FIXTURES, 'invalid')).length >= 2);
    });

    for (const name of valid) {
      it(`${name} parses`, () => {
        const text = readFileSync(join(FIXTURES, name), 'utf8');
        const result = parse(text, name);
        assert.ok(result.ok, result.ok ? '' : result.errors.map(formatScenarioError).join('\n'));
        assert.equal(`${result.scenario.id}.swaprace.json`, name, 'the file is named after its id');
      });
    }

    it('fork-shared-entry.swaprace.json gives each swapped page its own slot', () => {
      const result = parse(readFileSync(join(FIXTURES, 'fork-shared-entry.swaprace.json'), 'utf8'));
      assert.ok(result.ok);
      assert.deepEqual(
        result.scenario.pages.map((p) => [p.name, p.slot, p.cached]),
        [
          ['parent', 0, true],
          ['child', undefined, false],
          ['other', 1, false],
          ['grandchild', undefined, false],
        ],
      );
    });

    const invalid: { name: string; errors: string[] }[] = [
      {
        name: 'unknown-page-and-kernel.swaprace.json',
        errors: [
          'unknown-page-and-kernel.swaprace.json:3:13: kernel: expected one of the known kernels "v5.13", "v6.7", "shmem-bypass-2023", "v6.8", "v6.12", "v6.14", "v6.18", "v7.0" but got "v6.9"',
          'unknown-page-and-kernel.swaprace.json:7:54: threads[1].ops[0].page: expected one of the declared pages "p" but got "P"',
        ],
      },
      {
        name: 'slot-conflict.swaprace.json',
        errors: [
          'slot-conflict.swaprace.json:4:40: device.allocator: expected one of "lowest-free", "next-fit", "any-free" but got "first-fit"',
          'slot-conflict.swaprace.json:7:28: pages[1].slot: expected a free slot but slot 1 already holds "a"; to share one entry, name the other page in "sharedWith"',
          'slot-conflict.swaprace.json:10:75: threads[0].ops[0].into: expected a page whose initial is "none" (the fork creates it) but "b" is "swapped"',
        ],
      },
    ];
    for (const { name, errors } of invalid) {
      it(`invalid/${name} is rejected with positioned errors`, () => {
        const text = readFileSync(join(FIXTURES, 'invalid', name), 'utf8');
        const result = parse(text, name);
        assert.ok(!result.ok);
        assert.deepEqual(result.errors.map(formatScenarioError), errors);
      });
    }
  });
});
