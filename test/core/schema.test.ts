import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseJsonc } from 'jsonc-parser';
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
import { KNOWN_KERNELS, mutatedScenarioFile, validScenarioFile, type JsonObject, type JsonValue } from './helpers/scenario-arbitrary';

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

/** The draft-07 keywords that only annotate: editors show them, validation ignores them. */
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'examples', 'default', 'definitions', 'enumDescriptions', 'defaultSnippets', 'allowComments', 'allowTrailingCommas', 'then', 'else']);

/**
 * Problems of `value` against `subschema`: a small draft-07 validator for the keywords this schema uses. It throws
 * on any other keyword, so a schema edit cannot slip past it unchecked.
 */
function validate(subschema: Schema, value: JsonValue, path = '(root)'): string[] {
  if (subschema === true) return [];
  if (subschema === false) return [`${path}: not allowed`];
  const problems: string[] = [];
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const child = (s: JsonValue | undefined, v: JsonValue, p: string) => problems.push(...validate(s as Schema, v, p));
  for (const [keyword, argument] of Object.entries(subschema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    switch (keyword) {
      case '$ref':
        child(at(String(argument).replace(/^#\//, '')), value, path);
        break;
      case 'type': {
        const ok: Record<string, boolean> = {
          object: isObject,
          array: Array.isArray(value),
          string: typeof value === 'string',
          integer: Number.isInteger(value),
          number: typeof value === 'number',
          boolean: typeof value === 'boolean',
          null: value === null,
        };
        if (!ok[String(argument)]) problems.push(`${path}: expected ${argument}`);
        break;
      }
      case 'enum':
        if (!(argument as JsonValue[]).includes(value)) problems.push(`${path}: not in enum`);
        break;
      case 'const':
        if (argument !== value) problems.push(`${path}: not ${argument}`);
        break;
      case 'required':
        for (const key of argument as string[]) if (isObject && !(key in value)) problems.push(`${path}.${key}: required`);
        break;
      case 'properties':
        for (const [key, s] of Object.entries(argument as SchemaObject)) if (isObject && key in value) child(s, value[key], `${path}.${key}`);
        break;
      case 'additionalProperties': {
        const known = (subschema.properties ?? {}) as SchemaObject;
        for (const key of isObject ? Object.keys(value) : []) if (!(key in known)) child(argument, (value as JsonObject)[key], `${path}.${key}`);
        break;
      }
      case 'propertyNames':
        for (const key of isObject ? Object.keys(value) : []) child(argument, key, `${path}[${key}]`);
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((item, i) => child(argument, item, `${path}[${i}]`));
        break;
      case 'minItems':
      case 'maxItems':
        if (Array.isArray(value) && (keyword === 'minItems' ? value.length < Number(argument) : value.length > Number(argument))) problems.push(`${path}: ${keyword}`);
        break;
      case 'uniqueItems':
        if (Array.isArray(value) && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push(`${path}: items not unique`);
        break;
      case 'minimum':
      case 'maximum':
        if (typeof value === 'number' && (keyword === 'minimum' ? value < Number(argument) : value > Number(argument))) problems.push(`${path}: ${keyword}`);
        break;
      case 'minLength':
      case 'maxLength': {
        const length = typeof value === 'string' ? [...value].length : undefined;
        if (length !== undefined && (keyword === 'minLength' ? length < Number(argument) : length > Number(argument))) problems.push(`${path}: ${keyword}`);
        break;
      }
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(String(argument), 'u').test(value)) problems.push(`${path}: pattern`);
        break;
      case 'allOf':
        for (const s of argument as JsonValue[]) child(s, value, path);
        break;
      case 'if':
        if (validate(argument as Schema, value, path).length === 0) child(subschema.then ?? true, value, path);
        else child(subschema.else ?? true, value, path);
        break;
      default:
        throw new Error(`the test validator does not know the keyword "${keyword}" at ${path}`);
    }
  }
  return problems;
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
      // Conditions (allOf/if) repeat subsets of enums only to select a branch; they need no descriptions.
      for (const [key, child] of Object.entries(node)) if (key !== 'allOf') walk(child);
    };
    walk(schema as JsonObject);
  });

  describe('agrees with the parser on', () => {
    const enums: { schemaPath: string; values: readonly string[]; filePath: (string | number)[] }[] = [
      { schemaPath: 'properties/device/properties/allocator', values: ALLOCATOR_KINDS, filePath: ['device', 'allocator'] },
      { schemaPath: 'properties/device/properties/reuse', values: REUSE_POLICIES, filePath: ['device', 'reuse'] },
      { schemaPath: 'definitions/page/properties/kind', values: PAGE_KINDS, filePath: ['pages', 1, 'kind'] },
      { schemaPath: 'definitions/page/properties/initial', values: PAGE_INITIALS, filePath: ['pages', 1, 'initial'] },
      { schemaPath: 'definitions/operation/properties/op', values: OPERATION_KINDS, filePath: ['threads', 0, 'ops', 0, 'op'] },
      { schemaPath: 'properties/properties/items', values: PROPERTY_IDS, filePath: ['properties', 0] },
      { schemaPath: 'properties/expect/additionalProperties', values: EXPECTATIONS, filePath: ['expect', 'v6.8'] },
    ];
    for (const { schemaPath, values, filePath } of enums) {
      it(`the values of ${filePath.filter((k) => typeof k === 'string').join('.')}`, () => {
        assert.deepEqual(at(schemaPath).enum, [...values]);
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

    it('the ranges of numbers, array sizes and names', () => {
      const ranges: [string, { min: number; max: number }][] = [
        ['properties/device/properties/slots', LIMITS.slots],
        ['properties/device/properties/batchSize', LIMITS.batchSize],
        ['definitions/page/properties/mm', LIMITS.mm],
        ['properties/bounds/properties/maxStates', LIMITS.maxStates],
        ['properties/bounds/properties/maxDepth', LIMITS.maxDepth],
        ['properties/bounds/properties/timeoutMs', LIMITS.timeoutMs],
      ];
      for (const [path, range] of ranges) assert.deepEqual([at(path).minimum, at(path).maximum], [range.min, range.max], path);
      const sizes: [string, { min: number; max: number }][] = [
        ['properties/pages', LIMITS.pages],
        ['properties/threads', LIMITS.threads],
        ['definitions/thread/properties/ops', LIMITS.opsPerThread],
        ['properties/properties', { min: 1, max: PROPERTY_IDS.length }],
      ];
      for (const [path, size] of sizes) assert.deepEqual([at(path).minItems, at(path).maxItems], [size.min, size.max], path);
      assert.deepEqual([at('definitions/page/properties/slot').minimum, at('definitions/page/properties/slot').maximum], [0, LIMITS.slots.max - 1]);
      for (const path of ['definitions/page/properties/name', 'definitions/thread/properties/name']) {
        assert.deepEqual([at(path).minLength, at(path).maxLength], [1, LIMITS.nameLength], path);
      }
      assert.equal(at('properties/id').maxLength, LIMITS.idLength);
      assert.equal(at('properties/id').pattern, ID_PATTERN.source);
      assert.equal(at('properties/reference').pattern, REFERENCE_PATTERN.source);
    });

    it('the defaults', () => {
      for (const [key, value] of Object.entries(DEFAULT_DEVICE)) assert.equal(at(`properties/device/properties/${key}`).default, value, key);
      for (const [key, value] of Object.entries(DEFAULT_PAGE)) assert.equal(at(`definitions/page/properties/${key}`).default, value, key);
      for (const [key, value] of Object.entries(DEFAULT_BOUNDS)) assert.equal(at(`properties/bounds/properties/${key}`).default, value, key);
      assert.deepEqual(at('properties/properties').default, [...PROPERTY_IDS]);
    });

    it("the properties' descriptions (the SARIF rules say the same)", () => {
      assert.deepEqual(at('properties/properties/items').enumDescriptions, PROPERTY_IDS.map((id) => PROPERTY_DESCRIPTIONS[id]));
    });

    it('the operands of each operation', () => {
      for (const kind of OPERATION_KINDS) {
        const operands = OPERATION_OPERANDS[kind];
        const exact: JsonObject = { op: kind, ...(operands.includes('page') && { page: 'p' }), ...(operands.includes('into') && { into: 'q' }) };
        const variants: [string, JsonObject][] = [
          ['exact', exact],
          ...operands.map((operand): [string, JsonObject] => [`without ${operand}`, Object.fromEntries(Object.entries(exact).filter(([k]) => k !== operand)) as JsonObject]),
          ...(['page', 'into'] as const).filter((o) => !operands.includes(o)).map((o): [string, JsonObject] => [`with ${o}`, { ...exact, [o]: 'q' }]),
        ];
        for (const [variant, op] of variants) {
          const document = documentWith(['threads', 0, 'ops', 0], op);
          const schemaOk = validate(schema, document).length === 0;
          assert.equal(schemaOk, variant === 'exact', `schema, ${kind} ${variant}: ${JSON.stringify(op)}`);
          assert.equal(parse(JSON.stringify(document)).ok, variant === 'exact', `parser, ${kind} ${variant}`);
        }
      }
    });

    it('the kernel versions listed for editors, which are those of src/core/kernels', () => {
      const kernel = at('properties/kernel');
      assert.deepEqual(kernel.examples, [...KERNEL_IDS]);
      assert.deepEqual(at('properties/expect/propertyNames').examples, [...KERNEL_IDS]);
      for (const version of KERNEL_IDS) assert.ok(String(kernel.description).includes(version), version);
    });

    it('every generated file: what the parser accepts, the schema accepts', () => {
      fc.assert(
        fc.property(fc.oneof(validScenarioFile, mutatedScenarioFile), (file) => {
          if (parse(JSON.stringify(file)).ok) assert.deepEqual(validate(schema, file), []);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('example files', () => {
    const valid = readdirSync(FIXTURES).filter((f) => f.endsWith('.swaprace.json'));

    it('include a few valid files and invalid ones', () => {
      assert.ok(valid.length >= 2);
      assert.ok(readdirSync(join(FIXTURES, 'invalid')).length >= 2);
    });

    for (const name of valid) {
      it(`${name} parses and matches the schema`, () => {
        const text = readFileSync(join(FIXTURES, name), 'utf8');
        const result = parse(text, name);
        assert.ok(result.ok, result.ok ? '' : result.errors.map(formatScenarioError).join('\n'));
        assert.equal(`${result.scenario.id}.swaprace.json`, name, 'the file is named after its id');
        assert.deepEqual(validate(schema, parseJsonc(text) as JsonValue), []);
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

    const invalid: { name: string; schemaAccepts: boolean; errors: string[] }[] = [
      {
        // Both rules are beyond the schema: kernels are data, and page references need the page list.
        name: 'unknown-page-and-kernel.swaprace.json',
        schemaAccepts: true,
        errors: [
          'unknown-page-and-kernel.swaprace.json:3:13: kernel: expected one of the known kernels "v5.13", "v6.7", "shmem-bypass-2023", "v6.8", "v6.12", "v6.14", "v6.18", "v7.0" but got "v6.9"',
          'unknown-page-and-kernel.swaprace.json:7:54: threads[1].ops[0].page: expected one of the declared pages "p" but got "P"',
        ],
      },
      {
        name: 'slot-conflict.swaprace.json',
        schemaAccepts: false,
        errors: [
          'slot-conflict.swaprace.json:4:40: device.allocator: expected one of "lowest-free", "next-fit", "any-free" but got "first-fit"',
          'slot-conflict.swaprace.json:7:28: pages[1].slot: expected a free slot but slot 1 already holds "a"; to share one entry, name the other page in "sharedWith"',
          'slot-conflict.swaprace.json:10:75: threads[0].ops[0].into: expected a page whose initial is "none" (the fork creates it) but "b" is "swapped"',
        ],
      },
    ];
    for (const { name, schemaAccepts, errors } of invalid) {
      it(`invalid/${name} is rejected with positioned errors`, () => {
        const text = readFileSync(join(FIXTURES, 'invalid', name), 'utf8');
        const result = parse(text, name);
        assert.ok(!result.ok);
        assert.deepEqual(result.errors.map(formatScenarioError), errors);
        assert.equal(validate(schema, parseJsonc(text) as JsonValue).length === 0, schemaAccepts);
      });
    }
  });
});
