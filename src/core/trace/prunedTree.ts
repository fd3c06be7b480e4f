/**
 * jsonc-parser's `parseTree`, except that the values of some fields of the root object keep no children:
 * their node has its type, offset and length, and nothing inside it is kept. A trace file's `threads`,
 * `steps` and `states` are ignored (replay rebuilds them), and a tree of a large file padded there took
 * about a hundred times the file's size in memory. Every syntax error is still reported, inside the
 * pruned values too.
 */
import { visit, type Node, type NodeType, type ParseError, type ParseOptions } from 'jsonc-parser';

/** A Node as it is built (jsonc-parser's own type is read-only). */
interface Building {
  type: NodeType;
  offset: number;
  length: number;
  value?: unknown;
  colonOffset?: number;
  parent?: Building;
  children?: Building[];
}

export function parsePrunedTree(text: string, prunedRootFields: ReadonlySet<string>, errors: ParseError[], options: ParseOptions): Node | undefined {
  // An artificial parent of the root, as parseTree has.
  const top: Building = { type: 'array', offset: -1, length: -1, children: [] };
  let current: Building = top;
  /** Nesting depth inside a pruned value, counting the value itself: 0 outside one. */
  let pruned = 0;
  const add = (node: Building): Building => {
    current.children!.push(node);
    return node;
  };
  const completeProperty = (end: number): void => {
    if (current.type !== 'property') return;
    current.length = end - current.offset;
    current = current.parent!;
  };
  const valueOfPrunedField = (): boolean =>
    current.type === 'property' && current.parent?.parent === top && prunedRootFields.has(String(current.children![0].value));
  const begin = (type: 'object' | 'array', offset: number): void => {
    if (pruned > 0) {
      pruned++;
      return;
    }
    const prune = valueOfPrunedField();
    current = add({ type, offset, length: -1, parent: current, children: [] });
    if (prune) pruned = 1;
  };
  const end = (offset: number, length: number): void => {
    if (pruned > 1) {
      pruned--;
      return;
    }
    pruned = 0;
    completeProperty(offset + length);
    current.length = offset + length - current.offset;
    current = current.parent!;
    completeProperty(offset + length);
  };
  visit(
    text,
    {
      onObjectBegin: (offset) => begin('object', offset),
      onObjectEnd: end,
      onArrayBegin: (offset) => begin('array', offset),
      onArrayEnd: end,
      onObjectProperty: (name, offset, length) => {
        if (pruned > 0) return;
        current = add({ type: 'property', offset, length: -1, parent: current, children: [] });
        current.children!.push({ type: 'string', value: name, offset, length, parent: current });
      },
      onLiteralValue: (value, offset, length) => {
        if (pruned > 0) return;
        add({ type: typeOf(value), offset, length, parent: current, value });
        completeProperty(offset + length);
      },
      onSeparator: (separator, offset) => {
        if (pruned > 0 || current.type !== 'property') return;
        if (separator === ':') current.colonOffset = offset;
        else if (separator === ',') completeProperty(offset);
      },
      onError: (error, offset, length) => void errors.push({ error, offset, length }),
    },
    options,
  );
  const root = top.children![0];
  if (root) delete root.parent;
  return root as Node | undefined;
}

function typeOf(value: unknown): NodeType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'null';
  }
}
