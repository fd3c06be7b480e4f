import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { checkScenario, getBuiltinScenario } from '../../src/core';
import { parsePrunedTree } from '../../src/core/trace/prunedTree';
import { serializeTrace } from '../../src/core/trace/file';

const OPTIONS = { disallowComments: true, allowTrailingComma: false };
const DERIVED = new Set(['threads', 'steps', 'states']);

/** A tree without parent links, and with the children of the root's `pruned` fields dropped as parsePrunedTree drops them. */
function plain(node: Node | undefined, pruned: ReadonlySet<string> = new Set(), depth = 0): unknown {
  if (!node) return undefined;
  const { parent: _parent, children, ...rest } = node;
  if (!children) return rest;
  const prunedHere = depth === 1 && node.type === 'property' && pruned.has(String(children[0].value));
  return {
    ...rest,
    children: children.map((child, i) => (prunedHere && i === 1 && child.children ? { ...plain(child) as object, children: [] } : plain(child, pruned, depth + 1))),
  };
}

function both(text: string, pruned: ReadonlySet<string>) {
  const treeErrors: ParseError[] = [];
  const prunedErrors: ParseError[] = [];
  const expected = plain(parseTree(text, treeErrors, OPTIONS), pruned);
  const actual = plain(parsePrunedTree(text, pruned, prunedErrors, OPTIONS));
  return { expected: { tree: expected, errors: treeErrors }, actual: { tree: actual, errors: prunedErrors } };
}

const traceText = serializeTrace(checkScenario(getBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7' }).trace!);

describe('the pruned parse tree of a trace file', function () {
  this.timeout(60_000);
  it('is parseTree\'s tree, with nothing kept inside the root\'s pruned fields, on a real trace', () => {
    const { expected, actual } = both(traceText, DERIVED);
    assert.deepEqual(actual, expected);
    const steps = (actual.tree as { children: { children: { type: string; children?: unknown[] }[] }[] }).children.find((p) => (p.children[0] as { value?: string }).value === 'steps')!;
    assert.deepEqual([steps.children[1].type, steps.children[1].children], ['array', []]);
  });

  it('is parseTree\'s tree, errors included, on any JSON, cut anywhere, with or without pruning', () => {
    const texts = fc.oneof(
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ steps: v, threads: [v, { steps: v }], kernel: v }, null, 1)),
      fc.nat().map((n) => traceText.slice(0, n % traceText.length)),
      fc.tuple(fc.nat(), fc.string({ maxLength: 3 })).map(([n, s]) => traceText.slice(0, n % traceText.length) + s + traceText.slice(n % traceText.length)),
    );
    fc.assert(
      fc.property(texts, fc.boolean(), (text, prune) => {
        const { expected, actual } = both(text, prune ? DERIVED : new Set());
        assert.deepEqual(actual, expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('reports a syntax error inside a pruned field', () => {
    const broken = traceText.replace('"steps": [', '"steps": [ ,, ');
    const { expected, actual } = both(broken, DERIVED);
    assert.ok(expected.errors.length > 0);
    assert.deepEqual(actual.errors, expected.errors);
  });
});
