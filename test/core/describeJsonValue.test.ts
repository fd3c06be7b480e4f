import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import { describeValue, quote } from '../../src/core/describeJsonValue';

const described = (json: string): string => describeValue(parseTree(json)!);

describe('describeValue', () => {
  it('names objects and arrays, quotes strings and shows other values as written', () => {
    assert.equal(described('{"a": 1}'), 'an object');
    assert.equal(described('[1]'), 'an array');
    assert.equal(described('"page \\"a\\""'), '"page \\"a\\""');
    assert.equal(described('42'), '42');
    assert.equal(described('true'), 'true');
    assert.equal(described('null'), 'null');
  });
});

describe('quote', () => {
  it('keeps strings of up to 40 code points whole', () => {
    assert.equal(quote('x'.repeat(40)), `"${'x'.repeat(40)}"`);
    assert.equal(quote('🙂'.repeat(40)), `"${'🙂'.repeat(40)}"`);
  });

  it('cuts longer strings after 40 code points, never inside a surrogate pair', () => {
    assert.equal(quote('x'.repeat(41)), `"${'x'.repeat(40)}…"`);
    assert.equal(quote('x'.repeat(5000)), `"${'x'.repeat(40)}…"`);
    assert.equal(quote('🙂'.repeat(41)), `"${'🙂'.repeat(40)}…"`);
  });
});
