import { strict as assert } from 'assert';
import { KERNEL_VERSIONS } from '../../../src/core/kernels/versions';
import { anchorLine, modelSteps, snippetFor, snippetFunctions, snippetsFor } from '../../../src/core/source';

const STEP_MARK = /\bstep: ([\w.]+)/g;

describe('annotated snippets', () => {
  for (const kernel of KERNEL_VERSIONS) {
    it(`${kernel.id}: every step of every path has a line in its function's snippet`, () => {
      for (const step of modelSteps(kernel)) {
        const snippet = snippetFor(step.fn, kernel.id);
        assert.ok(snippet, `${kernel.id}: no snippet of ${step.fn} (step ${step.id})`);
        const line = anchorLine(snippet, step.id);
        assert.ok(line !== undefined, `${kernel.id}: ${step.fn} has no line for ${step.id}`);
        assert.match(snippet.text.split('\n')[line], new RegExp(`step: ${step.id.replace(/\./g, '\\.')}\\b`));
        assert.ok(anchorLine(snippet, step.point) !== undefined, `${kernel.id}: ${step.fn} has no line for point ${step.point}`);
      }
    });

    it(`${kernel.id}: every step a snippet marks is a step of that version, in that function`, () => {
      const steps = new Set(modelSteps(kernel).map((s) => `${s.fn} ${s.id}`));
      for (const snippet of snippetsFor(kernel.id)) {
        for (const [, id] of snippet.text.matchAll(STEP_MARK)) {
          assert.ok(steps.has(`${snippet.fn} ${id}`), `${kernel.id}: ${snippet.fn} marks ${id}, which ${kernel.id} does not run there`);
        }
      }
    });
  }

  it('heads each snippet with its function, version and the words that it is our own condensed rendering', () => {
    for (const snippet of snippetsFor('v6.8')) {
      const head = snippet.text.split('\n').slice(0, 12).join('\n');
      assert.ok(head.startsWith('/*'));
      assert.ok(head.includes(`${snippet.fn}() -- ${snippet.file}, kernel v6.8`), head);
      assert.ok(head.includes('condensed rendering'), head);
      assert.ok(head.includes('NOT kernel source'), head);
      assert.match(head, /Commits? behind this rendering/);
    }
  });

  it('uses the newest variant at or before a version on its own base chain', () => {
    assert.equal(snippetFor('do_swap_page', 'v6.8')!.renderedFrom, 'v6.8');
    assert.equal(snippetFor('do_swap_page', 'v6.14')!.renderedFrom, 'v6.12');
    assert.equal(snippetFor('do_swap_page', 'shmem-bypass-2023')!.renderedFrom, 'v6.7');
    // v6.8 comes after the 2023 branch in the list, but is not on it.
    assert.equal(snippetFor('shmem_swapin_folio', 'shmem-bypass-2023')!.renderedFrom, 'shmem-bypass-2023');
    assert.equal(snippetFor('shmem_swapin_folio', 'v6.8')!.renderedFrom, 'v6.7');
    assert.equal(snippetFor('unuse_pte', 'v7.0')!.renderedFrom, 'v6.18');
    assert.match(snippetFor('do_swap_page', 'v6.14')!.title, /v6\.14, rendering since v6\.12/);
  });

  it('has no snippet of a function before the version that introduced it', () => {
    assert.equal(snippetFor('swapcache_clear', 'v6.7'), undefined);
    assert.equal(snippetFor('shmem_swap_alloc_folio', 'v6.12'), undefined);
    assert.equal(snippetFor('swapin_folio', 'v6.18'), undefined);
    assert.equal(snippetFor('swapin_page_non_fault', 'v6.8'), undefined);
    assert.ok(snippetFor('swapin_page_non_fault', 'shmem-bypass-2023'));
    assert.equal(snippetFor('do_swap_page', 'v9.9'), undefined);
    assert.equal(snippetFor('no_such_function', 'v6.8'), undefined);
  });

  it('says so when a later version removed the function', () => {
    const gone = snippetFor('shmem_swap_alloc_folio', 'v7.0')!;
    assert.match(gone.text, /Removed/);
    assert.equal(gone.anchors.size, 0);
  });

  it('renders the difference the fix made: the pin, its busy wait and its clear', () => {
    const before = snippetFor('do_swap_page', 'v6.7')!;
    const after = snippetFor('do_swap_page', 'v6.8')!;
    assert.equal(anchorLine(before, 'do_swap_page.swapcache_prepare'), undefined);
    const pin = anchorLine(after, 'do_swap_page.swapcache_prepare')!;
    const clear = anchorLine(after, 'do_swap_page.swapcache_clear')!;
    assert.ok(pin < anchorLine(after, 'do_swap_page.pte_same')!);
    assert.ok(clear > anchorLine(after, 'do_swap_page.unlock_ptl')!, 'the pin is cleared after the PTL is dropped');
    assert.match(after.text.split('\n')[pin], /\[cluster lock\]/);
    assert.match(after.text, /13ddaf26be32/);
    // The same point is reachable by name, at the line of its step.
    assert.equal(anchorLine(after, 'swapcache_prepare'), pin);
    assert.equal(anchorLine(snippetFor('do_swap_page', 'v6.12')!, 'swapcache_wq'), anchorLine(snippetFor('do_swap_page', 'v6.12')!, 'do_swap_page.pin_busy_wait'));
  });

  it('names point anchors in the swap_map helpers that no step owns', () => {
    const swapFree = snippetFor('swap_free', 'v6.8')!;
    assert.ok(anchorLine(swapFree, 'free_swap_slot') !== undefined);
    assert.ok(snippetFunctions().includes('put_swap_folio'));
  });
});
