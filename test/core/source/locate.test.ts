import { strict as assert } from 'assert';
import { join } from 'path';
import {
  defaultKernelFor, findFunctionEnd, isFound, isKernelTree, kernelVersionFromMakefile, locateAnchors,
  locateFunctions, locateTree, type KernelFiles, type Located, type SourceLocation,
} from '../../../src/core/source';
import { readKernelTree } from '../helpers/kernel-tree';

const TREES = join(__dirname, '../../fixtures/kernel-trees');

function readTree(name: string): KernelFiles {
  return readKernelTree(join(TREES, name));
}

function found(located: Located | undefined, what: string): SourceLocation {
  assert.ok(located, `${what} was not reported`);
  assert.ok(isFound(located), `${what}: ${'missing' in located ? located.missing : ''}`);
  return located;
}

function missingReason(located: Located | undefined): string {
  assert.ok(located && 'missing' in located, 'expected a missing anchor');
  return located.missing;
}

function lineText(files: KernelFiles, at: SourceLocation): string {
  return files[at.file].split('\n')[at.line];
}

const FIXTURES: { tree: string; release: string; kernel: string; absentFunctions: string[] }[] = [
  { tree: 'v6.7-like', release: '6.7.0', kernel: 'v6.7', absentFunctions: [] },
  { tree: 'v6.8-like', release: '6.8.0', kernel: 'v6.8', absentFunctions: [] },
  { tree: 'v6.14-like', release: '6.14.0', kernel: 'v6.14', absentFunctions: [] },
  { tree: 'v6.18-like', release: '6.18.0', kernel: 'v6.18', absentFunctions: ['add_to_swap'] },
  { tree: 'v7.0-like', release: '7.0.0', kernel: 'v7.0', absentFunctions: [] },
];

describe('locating anchors in a kernel tree', () => {
  for (const fixture of FIXTURES) {
    describe(fixture.tree, () => {
      const files = readTree(fixture.tree);
      const result = locateTree(files);

      it(`reads the Makefile as ${fixture.release} and models it as ${fixture.kernel}`, () => {
        assert.equal(result.release?.text, fixture.release);
        assert.equal(result.kernel, fixture.kernel);
      });

      it('finds every step anchor, on a line that has the pattern it names', () => {
        assert.ok(Object.keys(result.anchors).length > 40);
        for (const [id, located] of Object.entries(result.anchors)) {
          const at = found(located, id);
          if (at.pattern === 'definition') continue;
          const name = at.pattern.replace(/\(.*$/, '').replace(/:$/, '').split(' ')[0];
          assert.ok(lineText(files, at).includes(name), `${id}: line ${at.line} of ${at.file} lacks ${at.pattern}`);
        }
      });

      it('finds every modelled function it defines', () => {
        for (const [fn, located] of Object.entries(result.functions)) {
          if (fixture.absentFunctions.includes(fn)) {
            assert.ok('missing' in located, `${fn} should be missing`);
            continue;
          }
          const at = found(located, fn);
          assert.equal(at.pattern, 'definition');
          assert.ok(lineText(files, at).includes(at.function), `${fn} at ${at.file}:${at.line}`);
        }
      });

      it("puts do_swap_page's checks in kernel order (not the device-private or back-out pte_same)", () => {
        const line = (id: string) => found(result.anchors[id], id).line;
        assert.ok(line('do_swap_page.swap_cache_lookup') < line('do_swap_page.no_folio'));
        assert.ok(line('do_swap_page.no_folio') < line('do_swap_page.folio_lock'));
        assert.ok(line('do_swap_page.folio_lock') < line('do_swap_page.swapcache_recheck'));
        assert.ok(line('do_swap_page.swapcache_recheck') < line('do_swap_page.pte_same'));
        assert.ok(line('do_swap_page.pte_same') < line('do_swap_page.set_pte'));
        assert.ok(line('do_swap_page.set_pte') < line('do_swap_page.unlock_ptl'));
      });
    });
  }

  it('finds the version-specific calls under the names each version uses', () => {
    const v67 = readTree('v6.7-like');
    const v614 = readTree('v6.14-like');
    const v618 = readTree('v6.18-like');
    const v70 = readTree('v7.0-like');
    assert.equal(found(locateAnchors(v67, 'v6.7')['do_swap_page.swap_read'], 'swap_read').pattern, 'swap_readpage(');
    assert.equal(found(locateAnchors(v614, 'v6.14')['do_swap_page.swap_read'], 'swap_read').pattern, 'swap_read_folio(');
    assert.equal(found(locateAnchors(v614, 'v6.14')['zap_pte_range.zap'], 'zap').function, 'zap_nonpresent_ptes');
    assert.equal(found(locateAnchors(v67, 'v6.7')['copy_pte_range.copy'], 'copy').function, 'copy_nonpresent_pte');
    assert.equal(found(locateAnchors(v618, 'v6.18')['do_swap_page.swapcache_recheck'], 'recheck').pattern, 'folio_matches_swap_entry(');
    assert.equal(found(locateAnchors(v618, 'v6.18')['add_to_swap.add_to_swap_cache'], 'add').function, 'folio_alloc_swap');
    assert.equal(found(locateAnchors(v70, 'v7.0')['swapin_folio.insert'], 'insert').function, '__swap_cache_prepare_and_add');
    assert.equal(found(locateAnchors(v70, 'v7.0')['do_swap_page.swap_free'], 'swap_free').pattern, 'folio_put_swap(');
    const failedClear = found(locateAnchors(v614, 'v6.14')['shmem_swapin_folio.failed_swapcache_clear'], 'failed clear');
    assert.ok(failedClear.line > found(locateAnchors(v614, 'v6.14')['shmem_swapin_folio.no_folio'], 'failed').line);
  });

  it("finds swapoff's disable and try_to_unuse's re-check where newer kernels moved them", () => {
    const v618 = readTree('v6.18-like');
    const anchors = locateAnchors(v618, 'v6.18');
    const text = (id: string) => lineText(v618, found(anchors[id], id));
    // The device lookup tests SWP_WRITEOK first; the disable is del_from_avail_list(p, true).
    assert.equal(found(anchors['swapoff.disable'], 'disable').pattern, 'del_from_avail_list(..., true)');
    assert.match(text('swapoff.disable'), /del_from_avail_list\(p, true\)/);
    // The re-check after the slot loop, not the loop's own condition nor the early exit.
    const check = found(anchors['try_to_unuse.check_inuse'], 'check_inuse');
    assert.equal(check.pattern, 'swap_usage_in_pages(');
    assert.match(text('try_to_unuse.check_inuse'), /^\s*if \(swap_usage_in_pages/);
    assert.ok(check.line > found(anchors['try_to_unuse.free_swap'], 'free_swap').line);
    // Older trees keep the plain flag and counter.
    const v68 = locateAnchors(readTree('v6.8-like'), 'v6.8');
    assert.equal(found(v68['swapoff.disable'], 'disable').pattern, 'flags &= ~SWP_WRITEOK');
    assert.equal(found(v68['try_to_unuse.check_inuse'], 'check_inuse').pattern, 'inuse_pages');
    // A swapoff that only tests the flag has no disable to point at.
    const lookupOnly = 'SYSCALL_DEFINE1(swapoff, const char __user *, specialfile)\n{\n\tif (p->flags & SWP_WRITEOK)\n\t\tfound = 1;\n}\n';
    assert.match(missingReason(locateAnchors({ 'mm/swapfile.c': lookupOnly }, 'v6.18')['swapoff.disable']), /no flags &= ~SWP_WRITEOK \/ del_from_avail_list/);
  });

  it('reports the missing-anchor fixture: no locked pte_same re-check, and not the back-out one instead', () => {
    const tree = readTree('missing-anchor');
    const { kernel, anchors } = locateTree(tree);
    assert.equal(kernel, 'v6.7');
    assert.match(missingReason(anchors['do_swap_page.pte_same']), /^no pte_same\( in do_swap_page after folio_lock_or_retry$/);
    // What must follow the re-check cannot be placed either; what precedes it is found.
    assert.match(missingReason(anchors['do_swap_page.set_pte']), /follows pte_same, which is missing/);
    assert.match(lineText(tree, found(anchors['do_swap_page.no_folio'], 'no_folio')), /pte_same\(/);
    for (const id of ['do_swap_page.get_swap_device', 'do_swap_page.swap_cache_lookup', 'do_swap_page.folio_lock', 'handle_pte_fault.orig_pte']) found(anchors[id], id);
  });

  it('names the first and the last of the C2 pin only in a tree that has them', () => {
    const v67 = readTree('v6.7-like');
    const anchors = locateAnchors(v67, 'v6.8');
    assert.match(missingReason(anchors['do_swap_page.swapcache_prepare']), /no swapcache_prepare\( in do_swap_page/);
    assert.match(missingReason(anchors['do_swap_page.swapcache_clear']), /no swapcache_clear\( in do_swap_page after set_pte_at/);
    assert.match(missingReason(locateFunctions(v67, 'v6.8').swapcache_clear), /no definition of swapcache_clear in mm\/swapfile\.c/);
    found(anchors['do_swap_page.pte_same'], 'pte_same');
  });

  it('names the file that was not given when the definition may live there (swap_slots.c up to v6.14)', () => {
    const { 'mm/swap_slots.c': _slots, ...noSlots } = readTree('v6.14-like');
    const reason = missingReason(locateFunctions(noSlots, 'v6.14').folio_alloc_swap);
    assert.match(reason, /^no definition of folio_alloc_swap \(or get_swap_page\) in mm\/swapfile\.c; mm\/swap_slots\.c was not given$/);
    found(locateFunctions(readTree('v6.14-like'), 'v6.14').folio_alloc_swap, 'folio_alloc_swap');
  });

  it('degrades with a reason for files, functions and proposals it cannot find, and never throws', () => {
    const { 'mm/shmem.c': _shmem, ...noShmem } = readTree('v6.8-like');
    const anchors = locateAnchors(noShmem, 'v6.8');
    assert.match(missingReason(anchors['shmem_swapin_folio.folio_lock']), /mm\/shmem\.c was not given/);
    found(anchors['do_swap_page.pte_same'], 'pte_same');

    const proposal = locateAnchors(readTree('v6.7-like'), 'shmem-bypass-2023');
    assert.match(missingReason(proposal['swapin_page_non_fault.swap_count_check']), /unmerged Nov 2023 proposal/);
    assert.match(missingReason(locateFunctions(readTree('v6.18-like'), 'v6.18').add_to_swap), /folio_alloc_swap/);

    const broken = { 'mm/memory.c': 'vm_fault_t do_swap_page(struct vm_fault *vmf)\n{\n\t/* pte_same( in a comment only */\n', Makefile: 'junk' };
    const result = locateTree(broken, 'v6.8');
    assert.match(missingReason(result.anchors['do_swap_page.pte_same']), /follows folio_lock_or_retry, which is missing/);
    assert.match(missingReason(result.anchors['do_swap_page.get_swap_device']), /no get_swap_device\( in do_swap_page/);
    assert.equal(result.release, undefined);
    assert.doesNotThrow(() => locateTree({}));
    assert.doesNotThrow(() => locateTree({ 'mm/memory.c': '"unterminated /* string\n}', 'mm/shmem.c': '' }));
    assert.deepEqual(locateAnchors({}, 'no-such-kernel'), {});
  });

  it('ignores calls inside comments and string literals', () => {
    const text = [
      'vm_fault_t do_swap_page(struct vm_fault *vmf)',
      '{',
      '\t/* get_swap_device(entry) is described here */',
      '\tpr_info("get_swap_device(entry)");',
      '\tsi = get_swap_device(entry); // the real call',
      '}',
    ].join('\n');
    const at = found(locateAnchors({ 'mm/memory.c': text }, 'v6.7')['do_swap_page.get_swap_device'], 'get_swap_device');
    assert.equal(at.line, 4);
  });

  it('without a Makefile, locates for the newest modelled version', () => {
    const { Makefile: _makefile, ...files } = readTree('v7.0-like');
    assert.equal(locateTree(files).kernel, 'v7.0');
    assert.equal(locateTree(files, 'v6.8').kernel, 'v6.8');
  });
});

describe('which kernel a tree is', () => {
  it('reads VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION from the Makefile', () => {
    const text = '# SPDX\nVERSION = 6\nPATCHLEVEL = 8\nSUBLEVEL = 0\nEXTRAVERSION = -rc5\nNAME = Hurr durr\n';
    assert.deepEqual(kernelVersionFromMakefile(text), { version: 6, patchlevel: 8, sublevel: 0, extraversion: '-rc5', text: '6.8.0-rc5' });
    assert.equal(kernelVersionFromMakefile('VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n')?.text, '6.12.117');
    assert.equal(kernelVersionFromMakefile('VERSION = 7\nPATCHLEVEL = 1\n')?.text, '7.1.0');
    assert.equal(kernelVersionFromMakefile('all:\n\tmake\n'), undefined);
    assert.equal(kernelVersionFromMakefile('VERSION = x\nPATCHLEVEL = 1\n'), undefined);
  });

  it('maps a release to the newest modelled version at or before it', () => {
    const cases: [string, string][] = [
      ['5.10', 'v5.13'], ['5.13', 'v5.13'], ['6.1', 'v5.13'], ['6.7', 'v6.7'], ['6.8', 'v6.8'], ['6.9', 'v6.8'],
      ['6.12', 'v6.12'], ['6.14', 'v6.14'], ['6.15', 'v6.14'], ['6.17', 'v6.14'], ['6.18', 'v6.18'], ['6.19', 'v6.18'],
      ['7.0', 'v7.0'], ['7.1', 'v7.0'], ['8.0', 'v7.0'], ['6.8.0-rc5', 'v6.8'], ['v6.14', 'v6.14'], ['nonsense', 'v5.13'],
    ];
    for (const [release, kernel] of cases) assert.equal(defaultKernelFor(release), kernel, release);
    assert.equal(defaultKernelFor({ version: 6, patchlevel: 16 }), 'v6.14');
  });

  it('recognises a kernel tree by mm/memory.c', () => {
    assert.ok(isKernelTree(['Makefile', 'mm/memory.c', 'mm/shmem.c']));
    assert.ok(isKernelTree(['./mm/memory.c']));
    assert.ok(isKernelTree(['mm\\memory.c']));
    assert.ok(!isKernelTree(['linux/mm/memory.c']));
    assert.ok(!isKernelTree(['mm/memory.h', 'Makefile']));
    assert.ok(!isKernelTree([]));
  });

  it('ends a function at the first line that starts with a closing brace', () => {
    const lines = ['int f(void)', '{', '\tif (x) {', '\t}', 'out:', '\treturn 0;', '}', 'int g(void)', '{'];
    assert.equal(findFunctionEnd(lines, 0), 6);
    assert.equal(findFunctionEnd(lines, 7), 8);
  });
});
