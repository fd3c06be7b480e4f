/**
 * How a JSON value is shown in an error message ("expected ... but got 42"). The scenario parser and the
 * trace file reader both report values this way, so a message reads the same whichever file is wrong.
 */
import type { Node } from 'jsonc-parser';

/** A value after "but got": short, and unambiguous about its type. */
export function describeValue(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return quote(String(node.value));
    default:
      return String(node.value);
  }
}

/** A string as JSON, shortened to 40 code points: enough to recognise it, short enough for one line. */
export function quote(text: string): string {
  const points = [...text.slice(0, 200)];
  return JSON.stringify(points.length > 40 ? points.slice(0, 40).join('') + '…' : text);
}
