/**
 * The lanes' step names (src/webview/stepNames.ts): the short name, where it may wrap, and how many lines it
 * takes at a given width, which picks a trace's default zoom.
 */
import { strict as assert } from 'assert';
import { linesNeeded, nameParts, shortStepName } from '../../src/webview/stepNames';

describe('step names in the lanes', () => {
  it('drop the function: it is in the hover and the details', () => {
    assert.equal(shortStepName('do_swap_page.swap_read'), 'swap_read');
    assert.equal(shortStepName('unnamed'), 'unnamed');
  });

  it('break only after underscores, and keep every character', () => {
    assert.deepEqual(nameParts('get_swap_device'), ['get_', 'swap_', 'device']);
    assert.deepEqual(nameParts('folio__lock_'), ['folio__', 'lock_']);
    assert.deepEqual(nameParts('unmap'), ['unmap']);
    assert.deepEqual(nameParts(''), []);
  });

  it('fill each line with as many parts as fit, as the browser does', () => {
    // get_ swap_ device, one unit per character.
    const parts = [4, 5, 6];
    assert.equal(linesNeeded(parts, 15), 1);
    assert.equal(linesNeeded(parts, 9), 2);
    assert.equal(linesNeeded(parts, 8), 3, 'get_ and swap_ no longer share a line');
    assert.equal(linesNeeded(parts, 5), Infinity, 'device alone is wider than a line');
    assert.equal(linesNeeded([], 5), 0);
  });
});
