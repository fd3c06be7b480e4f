import assert from 'node:assert/strict';
import { LineIndex } from '../../src/core/lineIndex';

describe('LineIndex', () => {
  // Four lines, ended by \r\n, \r and \n: "ab" at 0, "c" at 4, "d" at 6, "e" at 8.
  const text = 'ab\r\nc\rd\ne';
  const lines = new LineIndex(text);

  it('counts \\r\\n as one line break, and \\r and \\n alone as one each', () => {
    assert.deepEqual(lines.position(0), { line: 1, column: 1 });
    assert.deepEqual(lines.position(2), { line: 1, column: 3 });
    assert.deepEqual(lines.position(3), { line: 1, column: 4 });
    assert.deepEqual(lines.position(4), { line: 2, column: 1 });
    assert.deepEqual(lines.position(6), { line: 3, column: 1 });
    assert.deepEqual(lines.position(8), { line: 4, column: 1 });
  });

  it('clamps offsets outside the text to its ends', () => {
    assert.deepEqual(lines.position(-5), { line: 1, column: 1 });
    assert.deepEqual(lines.position(100), { line: 4, column: 2 });
    assert.deepEqual(new LineIndex('').position(3), { line: 1, column: 1 });
  });

  it('maps every position back to its offset', () => {
    for (let offset = 0; offset <= text.length; offset++) assert.equal(lines.offset(lines.position(offset)), offset);
  });

  it('clamps a position to its line, up to the start of the next, and lines to the text', () => {
    assert.equal(lines.offset({ line: 1, column: 0 }), 0);
    assert.equal(lines.offset({ line: 1, column: 9 }), 4);
    assert.equal(lines.offset({ line: 0, column: 2 }), 1);
    assert.equal(lines.offset({ line: 9, column: 1 }), 8);
    assert.equal(lines.offset({ line: 4, column: 9 }), text.length);
  });
});
