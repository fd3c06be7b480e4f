/**
 * Locating the model's source anchors in a real kernel tree: each modelled function's definition, and
 * each step's `{fn, point}` inside it, by named patterns per point. Patterns are data, with alternatives
 * for the names the kernel used across versions; whatever cannot be found comes back with a reason.
 * Pure: the caller reads the files (paths relative to the tree root) and passes their text.
 *
 * Lines are 0-based, as in VS Code's `Position` and in `snippets.ts`.
 */
import { findKernel, KERNEL_VERSIONS } from '../kernels/versions';
import { escapeRegExp, findFunctionDefinitions, findFunctionEnd } from './findFunctions';
import { kernelLineage, modelSteps } from './steps';

/** Relative path (e.g. `mm/memory.c`) -> file text. */
export type KernelFiles = Readonly<Record<string, string>>;

export interface SourceLocation {
  file: string;
  /** 0-based. */
  line: number;
  /** The function the line is in, as the tree names it (an older name, or a helper of the anchor's function). */
  function: string;
  /** The pattern that matched, e.g. `pte_same(`; `definition` for a function's own line. */
  pattern: string;
}

export interface MissingAnchor {
  missing: string;
}

export type Located = SourceLocation | MissingAnchor;

export function isFound(located: Located): located is SourceLocation {
  return 'line' in located;
}

// ---------------------------------------------------------------------------------------------------
// Where each function lives, under every name it has had.

interface FunctionSpec {
  /** The name the model's steps use. */
  fn: string;
  /** The names it has had, preferred first. */
  names: readonly string[];
  files: readonly string[];
  /** A definition not of the `type name(args) {` form (a system call). */
  definition?: RegExp;
  /** Set for a function only an unmerged proposal has: why no mainline tree defines it. */
  proposal?: string;
  /** Where newer kernels moved its work, added to the reason when a tree has no definition. */
  movedTo?: string;
  /** For a function no step names: the first version that has it, and the first that no longer does. */
  since?: string;
  until?: string;
}

const NOV_2023_PROPOSAL = 'only in the unmerged Nov 2023 proposal (patch 18/24): no mainline kernel defines it';

const FUNCTIONS: readonly FunctionSpec[] = [
  { fn: 'handle_pte_fault', names: ['handle_pte_fault'], files: ['mm/memory.c'] },
  { fn: 'do_swap_page', names: ['do_swap_page'], files: ['mm/memory.c'] },
  { fn: 'do_anonymous_page', names: ['do_anonymous_page'], files: ['mm/memory.c'] },
  { fn: 'do_wp_page', names: ['do_wp_page'], files: ['mm/memory.c'] },
  { fn: 'copy_pte_range', names: ['copy_pte_range'], files: ['mm/memory.c'] },
  { fn: 'copy_nonpresent_pte', names: ['copy_nonpresent_pte', 'copy_one_pte'], files: ['mm/memory.c'] },
  { fn: 'zap_pte_range', names: ['zap_pte_range'], files: ['mm/memory.c'] },
  { fn: 'zap_nonpresent_ptes', names: ['zap_nonpresent_ptes'], files: ['mm/memory.c'] },
  { fn: '__read_swap_cache_async', names: ['__read_swap_cache_async', 'swap_cache_alloc_folio'], files: ['mm/swap_state.c'] },
  { fn: 'swapin_folio', names: ['swapin_folio'], files: ['mm/swap_state.c'], since: 'v7.0' },
  { fn: '__swap_cache_prepare_and_add', names: ['__swap_cache_prepare_and_add'], files: ['mm/swap_state.c'] },
  {
    fn: 'add_to_swap',
    names: ['add_to_swap'],
    files: ['mm/swap_state.c', 'mm/vmscan.c'],
    movedTo: 'newer kernels fold it into folio_alloc_swap()',
  },
  { fn: 'swapin_page_non_fault', names: ['swapin_page_non_fault'], files: ['mm/swap_state.c'], proposal: NOV_2023_PROPOSAL },
  { fn: 'swapin_no_readahead', names: ['swapin_no_readahead'], files: ['mm/swap_state.c', 'mm/memory.c'], proposal: NOV_2023_PROPOSAL },
  { fn: 'swap_read_folio', names: ['swap_read_folio', 'swap_readpage'], files: ['mm/page_io.c'] },
  { fn: '__end_swap_bio_write', names: ['__end_swap_bio_write'], files: ['mm/page_io.c'] },
  { fn: 'end_swap_bio_write', names: ['end_swap_bio_write'], files: ['mm/page_io.c'] },
  { fn: 'folio_end_writeback', names: ['folio_end_writeback', 'end_page_writeback'], files: ['mm/filemap.c'] },
  { fn: 'shmem_get_folio_gfp', names: ['shmem_get_folio_gfp', 'shmem_getpage_gfp'], files: ['mm/shmem.c'] },
  { fn: 'shmem_swapin_folio', names: ['shmem_swapin_folio', 'shmem_swapin_page'], files: ['mm/shmem.c'] },
  { fn: 'shmem_swap_alloc_folio', names: ['shmem_swap_alloc_folio'], files: ['mm/shmem.c'] },
  { fn: 'shmem_add_to_page_cache', names: ['shmem_add_to_page_cache'], files: ['mm/shmem.c'] },
  { fn: 'shmem_writeout', names: ['shmem_writeout', 'shmem_writepage'], files: ['mm/shmem.c'] },
  { fn: 'shrink_folio_list', names: ['shrink_folio_list', 'shrink_page_list'], files: ['mm/vmscan.c'] },
  { fn: 'pageout', names: ['pageout'], files: ['mm/vmscan.c'] },
  { fn: '__remove_mapping', names: ['__remove_mapping'], files: ['mm/vmscan.c'] },
  { fn: 'try_to_unmap_one', names: ['try_to_unmap_one'], files: ['mm/rmap.c'] },
  { fn: 'folio_alloc_swap', names: ['folio_alloc_swap', 'get_swap_page'], files: ['mm/swapfile.c', 'mm/swap_slots.c'] },
  { fn: 'swap_free', names: ['swap_free', 'swap_free_nr', 'swap_put_entries_direct'], files: ['mm/swapfile.c'], since: 'v5.13' },
  { fn: 'swapcache_clear', names: ['swapcache_clear'], files: ['mm/swapfile.c'], since: 'v6.8', until: 'v7.0' },
  { fn: 'put_swap_folio', names: ['put_swap_folio', 'put_swap_page'], files: ['mm/swapfile.c'], since: 'v5.13', until: 'v7.0' },
  { fn: 'unuse_pte', names: ['unuse_pte'], files: ['mm/swapfile.c'] },
  { fn: 'unuse_pte_range', names: ['unuse_pte_range'], files: ['mm/swapfile.c'] },
  { fn: 'try_to_unuse', names: ['try_to_unuse'], files: ['mm/swapfile.c'] },
  { fn: 'swapoff', names: ['swapoff'], files: ['mm/swapfile.c'], definition: /^SYSCALL_DEFINE1\(\s*swapoff\b/ },
];

const specByFn = new Map(FUNCTIONS.map((s) => [s.fn, s]));

/** Every file the locator may read, relative to the tree root (the Makefile names the version). */
export const KERNEL_SOURCE_FILES: readonly string[] = ['Makefile', ...new Set(FUNCTIONS.flatMap((s) => s.files))];

// ---------------------------------------------------------------------------------------------------
// The patterns of each anchor point.

interface AnchorPattern {
  name: string;
  regex: RegExp;
}

interface AnchorRule {
  /** Alternatives across versions, preferred first: the first pattern found anywhere in range wins. */
  patterns: readonly AnchorPattern[];
  /** A point of the same function the anchor must come after (or before), e.g. the D8 `pte_same`. */
  after?: string;
  before?: string;
  /** Helpers searched instead of the function itself, in order (fork's swap entry is copied in one). */
  searchIn?: readonly string[];
  /** The anchor is the function's own definition line. */
  atDefinition?: boolean;
}

const call = (name: string): AnchorPattern => ({ name: `${name}(`, regex: new RegExp(`(?<![\\w>.])${escapeRegExp(name)}\\s*\\(`) });
const label = (name: string): AnchorPattern => ({ name: `${name}:`, regex: new RegExp(`^${name}:`) });
const word = (name: string): AnchorPattern => ({ name, regex: new RegExp(`\\b${name}\\b`) });
const calls = (...names: string[]): AnchorPattern[] => names.map(call);

/** The patterns of each point, whatever function it is in. */
const POINT_PATTERNS: Readonly<Record<string, readonly AnchorPattern[]>> = {
  // do_swap_page and the other fault paths
  orig_pte: [
    { name: 'orig_pte = ptep_get_lockless(', regex: /\borig_pte\s*=\s*ptep_get_lockless\s*\(/ },
    { name: 'orig_pte =', regex: /\borig_pte\s*=[^=]/ },
  ],
  get_swap_device: calls('get_swap_device'),
  put_swap_device: calls('put_swap_device'),
  swap_cache_get_folio: calls('swap_cache_get_folio', 'lookup_swap_cache', 'filemap_get_folio'),
  __swap_count: calls('__swap_count', 'swap_count'),
  swapcache_prepare: calls('swapcache_prepare'),
  schedule_timeout_uninterruptible: calls('schedule_timeout_uninterruptible'),
  swapcache_wq: [word('swapcache_wq')],
  vma_alloc_folio: calls('alloc_swap_folio', 'vma_alloc_folio', 'alloc_page_vma', 'folio_prealloc'),
  swap_read_folio: calls('swap_read_folio', 'swap_readpage'),
  folio_lock_or_retry: calls('folio_lock_or_retry', 'lock_page_or_retry'),
  folio_test_swapcache: calls('folio_matches_swap_entry', 'folio_test_swapcache', 'PageSwapCache'),
  folio_matches_swap_entry: calls('folio_matches_swap_entry'),
  pte_same: calls('pte_same'),
  swap_free: calls('folio_put_swap', 'swap_free_nr', 'swap_free', 'swap_put_entries_direct'),
  folio_free_swap: calls('folio_free_swap', 'try_to_free_swap'),
  set_pte_at: calls('set_ptes', 'set_pte_at'),
  set_pte: calls('set_ptes', 'set_pte_at'),
  pte_unmap_unlock: calls('pte_unmap_unlock'),
  swapcache_clear: calls('swapcache_clear'),
  wp_page_copy: calls('wp_page_copy'),
  swap_duplicate: calls('swap_dup_entry_direct', 'swap_duplicate'),
  free_swap_and_cache: calls('free_swap_and_cache_nr', 'free_swap_and_cache', 'swap_put_entries_direct'),
  // the swap cache
  swap_swapcount: calls('swap_swapcount', '__swp_swapcount', 'swap_entry_swapped', '__swap_count'),
  add_to_swap_cache: calls('add_to_swap_cache', 'swap_cache_add_folio'),
  insert: calls('swap_cache_add_folio', '__swap_cache_add_folio'),
  // shmem
  filemap_get_entry: calls('filemap_get_entry', '__filemap_get_folio', 'find_lock_entry'),
  folio_unlock: calls('folio_unlock', 'unlock_page'),
  SWP_SYNCHRONOUS_IO: [word('SWP_SYNCHRONOUS_IO')],
  failed: [label('failed')],
  folio_lock: calls('folio_lock', 'lock_page'),
  shmem_confirm_swap: calls('shmem_confirm_swap'),
  delete_from_swap_cache: calls('swap_cache_del_folio', 'delete_from_swap_cache'),
  xas_store: calls('xas_store'),
  shmem_delete_from_page_cache: calls('shmem_delete_from_page_cache'),
  // reclaim
  folio_trylock: calls('folio_trylock', 'trylock_page'),
  free_folio: [label('free_it')],
  pageout: calls('pageout'),
  get_swap_pages: calls('get_swap_pages', 'swap_alloc_fast', 'swap_alloc_slow', 'cluster_alloc_swap_entry'),
  swap_writepage: [
    ...calls('swap_writepage', 'swap_writeout'),
    { name: '->writepage(', regex: /->\s*writepage\s*\(/ },
    ...calls('writeout'),
  ],
  end_swap_bio_write: calls('folio_end_writeback', 'end_page_writeback'),
  folio_ref_freeze: calls('folio_ref_freeze', 'page_ref_freeze'),
  put_swap_folio: calls('put_swap_folio', 'put_swap_page'),
  // swapoff
  // Not any mention of SWP_WRITEOK: swapoff first tests it to find the device. After v6.12
  // del_from_avail_list(p, true) clears it (under si->lock and swap_avail_lock).
  SWP_WRITEOK: [
    { name: 'flags &= ~SWP_WRITEOK', regex: /&=\s*~\s*SWP_WRITEOK\b/ },
    { name: 'del_from_avail_list(..., true)', regex: /(?<![\w>.])del_from_avail_list\s*\([^;]*\btrue\s*\)/ },
  ],
  percpu_ref_kill: calls('percpu_ref_kill'),
  wait_for_completion: calls('wait_for_completion'),
  free_swap_map: [{ name: 'vfree(swap_map)', regex: /\bk?vfree\s*\(\s*swap_map\s*\)/ }],
  unuse_mm: calls('unuse_mm'),
  find_next_to_unuse: calls('find_next_to_unuse'),
  // swap_usage_in_pages() reads si->inuse_pages without the SWAP_USAGE_OFFLIST_BIT (after v6.12).
  inuse_pages: [call('swap_usage_in_pages'), word('inuse_pages')],
  no_folio: [{ name: 'if (!folio)', regex: /\bif\s*\(\s*!(folio|page)\s*\)/ }],
};

/**
 * Where the generic patterns are not enough: keyed by step id, or by `fn.point`. The same call often
 * appears more than once in a function (do_swap_page's device-private path has its own `pte_same`),
 * so the rule names the point it must follow.
 */
const ANCHOR_RULES: Readonly<Record<string, Partial<AnchorRule>>> = {
  'do_swap_page.no_folio': { patterns: calls('pte_same'), after: 'swap_cache_get_folio', before: 'folio_lock_or_retry' },
  'do_swap_page.folio_test_swapcache': { after: 'folio_lock_or_retry' },
  'do_swap_page.pte_same': { after: 'folio_lock_or_retry' },
  'do_swap_page.swap_free': { after: 'pte_same' },
  'do_swap_page.folio_free_swap': { after: 'pte_same' },
  'do_swap_page.set_pte_at': { after: 'pte_same' },
  'do_swap_page.pte_unmap_unlock': { after: 'set_pte_at' },
  'do_swap_page.swapcache_clear': { after: 'set_pte_at' },
  'do_swap_page.put_swap_device': { after: 'set_pte_at' },
  'copy_pte_range.swap_duplicate': { searchIn: ['copy_nonpresent_pte', 'copy_pte_range'] },
  'zap_pte_range.free_swap_and_cache': { searchIn: ['zap_nonpresent_ptes', 'zap_pte_range'] },
  'swap_read_folio.swap_read_folio': { atDefinition: true },
  'folio_end_writeback.end_swap_bio_write': { searchIn: ['__end_swap_bio_write', 'end_swap_bio_write'] },
  'shmem_swapin_folio.SWP_SYNCHRONOUS_IO': { after: 'swap_cache_get_folio' },
  // Mid-2025 (C11) dropped shmem_confirm_swap from the locked re-check; it stays on the failure path.
  'shmem_swapin_folio.shmem_confirm_swap': {
    patterns: [
      ...calls('shmem_confirm_swap', 'folio_matches_swap_entry', 'folio_test_swapcache'),
      { name: 'folio->swap.val != swap.val', regex: /->swap\.val\s*!=/ },
    ],
    after: 'folio_lock',
    before: 'failed',
  },
  'shmem_swapin_folio.swapcache_clear': { before: 'failed' },
  'shmem_swapin_folio.put_swap_device': { after: 'swap_free' },
  'shmem_swapin_folio.failed_swapcache_clear': { after: 'failed' },
  'shrink_folio_list.relock': { after: 'pageout' },
  'try_to_unmap_one.set_pte_at': {
    patterns: [
      { name: 'set_pte_at(..., swp_pte)', regex: /\bset_ptes?(_at)?\s*\([^;]*\bswp_pte\b/ },
      ...calls('folio_dup_swap', 'swap_dup_entry_direct', 'swap_duplicate'),
    ],
  },
  // add_to_swap() was folded into folio_alloc_swap() (about v6.16), which then adds to the cache itself.
  'add_to_swap.add_to_swap_cache': {
    patterns: calls('add_to_swap_cache', 'swap_cache_add_folio', '__swap_cache_add_folio'),
    searchIn: ['add_to_swap', 'folio_alloc_swap'],
  },
  'try_to_unuse.inuse_pages': { after: 'folio_free_swap' },
  'unuse_pte_range.no_folio': { after: 'swap_cache_get_folio' },
};

function ruleFor(fn: string, point: string, stepId?: string): AnchorRule | undefined {
  const override = (stepId && ANCHOR_RULES[stepId]) || ANCHOR_RULES[`${fn}.${point}`] || {};
  const patterns = override.patterns ?? POINT_PATTERNS[point];
  return patterns ? { ...override, patterns } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Searching a tree.

interface FunctionBody {
  file: string;
  name: string;
  start: number;
  end: number;
}

/** One pass over a tree: code lines (comments and literals blanked) and function bodies, computed once. */
class TreeIndex {
  private readonly code = new Map<string, { text: string; lines: string[] }>();
  private readonly bodies = new Map<string, FunctionBody | MissingAnchor>();

  constructor(private readonly files: KernelFiles) {}

  private codeOf(file: string): { text: string; lines: string[] } {
    let code = this.code.get(file);
    if (!code) {
      const text = blankCommentsAndLiterals(this.files[file]);
      code = { text, lines: text.split('\n') };
      this.code.set(file, code);
    }
    return code;
  }

  codeLines(file: string): string[] {
    return this.codeOf(file).lines;
  }

  body(fn: string): FunctionBody | MissingAnchor {
    let body = this.bodies.get(fn);
    if (!body) {
      body = this.findBody(fn);
      this.bodies.set(fn, body);
    }
    return body;
  }

  private findBody(fn: string): FunctionBody | MissingAnchor {
    const spec = specByFn.get(fn);
    if (!spec) return { missing: `no file is known for ${fn}` };
    const present = spec.files.filter((f) => f in this.files);
    if (present.length === 0) {
      return { missing: spec.proposal ?? `${spec.files.join(' or ')} ${spec.files.length > 1 ? 'were' : 'was'} not given` };
    }
    for (const file of present) {
      const { text, lines } = this.codeOf(file);
      const found = definitionIn(text, lines, spec);
      if (found) return { file, name: found.name, start: found.line, end: findFunctionEnd(lines, found.line) };
    }
    const names = spec.names.length > 1 ? `${spec.names[0]} (or ${spec.names.slice(1).join(', ')})` : spec.names[0];
    const moved = spec.movedTo ? ` (${spec.movedTo})` : '';
    // A file that may hold the definition but was not given is part of the answer (swap_slots.c up to v6.14).
    const absent = spec.files.filter((f) => !(f in this.files));
    const notGiven = absent.length ? `; ${absent.join(' and ')} ${absent.length > 1 ? 'were' : 'was'} not given` : '';
    return { missing: spec.proposal ?? `no definition of ${names} in ${present.join(' or ')}${moved}${notGiven}` };
  }
}

function definitionIn(text: string, lines: string[], spec: FunctionSpec): { name: string; line: number } | undefined {
  if (spec.definition) {
    const line = lines.findIndex((l) => spec.definition!.test(l));
    return line >= 0 ? { name: spec.fn, line } : undefined;
  }
  // One scan for every name; the preferred (newest) name wins when a tree defines several.
  const found = findFunctionDefinitions(text, spec.names);
  for (const name of spec.names) {
    const definition = found.find((d) => d.name === name);
    if (definition) return definition;
  }
  return undefined;
}

/** Replaces comments, string and character literals by spaces, keeping every line break and column. */
function blankCommentsAndLiterals(text: string): string {
  const out: string[] = [];
  let i = 0;
  const blank = (ch: string) => (ch === '\n' ? '\n' : ' ');
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (; i < stop; i++) out.push(blank(text[i]));
    } else if (ch === '/' && next === '/') {
      for (; i < text.length && text[i] !== '\n'; i++) out.push(' ');
    } else if (ch === '"' || ch === "'") {
      out.push(' ');
      for (i++; i < text.length && text[i] !== ch && text[i] !== '\n'; i++) {
        if (text[i] === '\\') out.push(' ', blank(text[++i] ?? ''));
        else out.push(' ');
      }
      if (i < text.length && text[i] === ch) {
        out.push(' ');
        i++;
      }
    } else {
      out.push(ch);
      i++;
    }
  }
  return out.join('');
}

function locatePoint(index: TreeIndex, fn: string, point: string, stepId: string | undefined, visiting: Set<string>): Located {
  const rule = ruleFor(fn, point, stepId);
  if (!rule) return { missing: `no pattern is known for point ${point}` };
  if (rule.atDefinition) {
    const body = index.body(fn);
    return 'missing' in body ? body : { file: body.file, line: body.start, function: body.name, pattern: 'definition' };
  }

  // The functions to search come first: when none is in the tree, that is the reason to report.
  const bodies = (rule.searchIn ?? [fn]).map((scope) => index.body(scope));
  const present = bodies.filter((b): b is FunctionBody => !('missing' in b));
  if (present.length === 0) return { missing: [...new Set(bodies.flatMap((b) => ('missing' in b ? [b.missing] : [])))].join('; ') };

  const key = `${fn}.${point}`;
  if (visiting.has(key)) return { missing: `the rules of ${key} refer to each other` };
  visiting.add(key);
  const bound = (ref: string | undefined): Located | undefined =>
    ref === undefined ? undefined : locatePoint(index, fn, ref, undefined, visiting);
  const after = bound(rule.after);
  const before = bound(rule.before);
  visiting.delete(key);
  if (after && !isFound(after)) return { missing: `it follows ${rule.after}, which is missing: ${after.missing}` };
  if (before && !isFound(before)) return { missing: `it precedes ${rule.before}, which is missing: ${before.missing}` };

  const range = [rule.after && `after ${rule.after}`, rule.before && `before ${rule.before}`].filter(Boolean).join(' and ');
  for (const body of present) {
    const lines = index.codeLines(body.file);
    const from = after && after.file === body.file ? Math.max(body.start, after.line + 1) : body.start;
    const to = before && before.file === body.file ? Math.min(body.end, before.line - 1) : body.end;
    for (const pattern of rule.patterns) {
      for (let line = from; line <= to; line++) {
        if (pattern.regex.test(lines[line])) return { file: body.file, line, function: body.name, pattern: pattern.name };
      }
    }
  }
  const searched = present.map((b) => b.name).join(' or ');
  return { missing: `no ${rule.patterns.map((p) => p.name).join(' / ')} in ${searched}${range ? ` ${range}` : ''}` };
}

// ---------------------------------------------------------------------------------------------------
// The public surface.

/**
 * The definition of every function the kernel version's model anchors to, plus the swap_map helpers
 * that version has (swap_free, put_swap_folio, swapcache_clear, swapin_folio).
 */
export function locateFunctions(files: KernelFiles, kernelId: string): Record<string, Located> {
  return functionsIn(new TreeIndex(files), kernelId);
}

/** Every step of the kernel version's model -> its line in the tree, or why it could not be found. */
export function locateAnchors(files: KernelFiles, kernelId: string): Record<string, Located> {
  return anchorsIn(new TreeIndex(files), kernelId);
}

function functionsIn(index: TreeIndex, kernelId: string): Record<string, Located> {
  const result: Record<string, Located> = {};
  for (const fn of modelledFunctions(kernelId)) {
    const body = index.body(fn);
    result[fn] = 'missing' in body ? body : { file: body.file, line: body.start, function: body.name, pattern: 'definition' };
  }
  return result;
}

function anchorsIn(index: TreeIndex, kernelId: string): Record<string, Located> {
  const kernel = findKernel(kernelId);
  const result: Record<string, Located> = {};
  for (const step of kernel ? modelSteps(kernel) : []) {
    result[step.id] = locatePoint(index, step.fn, step.point, step.id, new Set());
  }
  return result;
}

export interface TreeAnchors {
  /** The release the Makefile names, when there is one. */
  release?: KernelRelease;
  /** The modelled version the anchors were located for. */
  kernel: string;
  functions: Record<string, Located>;
  anchors: Record<string, Located>;
}

/**
 * Functions and anchors of a tree, for `kernelId` or else for the version its Makefile maps to (the
 * newest modelled version when there is no Makefile to read).
 */
export function locateTree(files: KernelFiles, kernelId?: string): TreeAnchors {
  const release = files.Makefile === undefined ? undefined : kernelVersionFromMakefile(files.Makefile);
  const kernel = kernelId ?? (release ? defaultKernelFor(release) : MAINLINE[MAINLINE.length - 1].id);
  const index = new TreeIndex(files);
  return { release, kernel, functions: functionsIn(index, kernel), anchors: anchorsIn(index, kernel) };
}

function modelledFunctions(kernelId: string): string[] {
  const kernel = findKernel(kernelId);
  if (!kernel) return [];
  const lineage = kernelLineage(kernelId);
  const fromSteps = modelSteps(kernel).map((s) => s.fn);
  const helpers = FUNCTIONS.filter((s) => s.since && lineage.includes(s.since) && !(s.until && lineage.includes(s.until))).map((s) => s.fn);
  return [...new Set([...fromSteps, ...helpers])];
}

// ---------------------------------------------------------------------------------------------------
// Which kernel a tree is.

export interface KernelRelease {
  version: number;
  patchlevel: number;
  sublevel: number;
  extraversion: string;
  /** As `make kernelversion` prints it, e.g. `6.8.0-rc5`. */
  text: string;
}

/** Reads VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION from a top-level kernel Makefile. */
export function kernelVersionFromMakefile(text: string): KernelRelease | undefined {
  const field = (name: string) => new RegExp(`^${name}[ \\t]*=[ \\t]*(\\S*)[ \\t]*$`, 'm').exec(text)?.[1];
  const number = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);
  const version = number(field('VERSION'));
  const patchlevel = number(field('PATCHLEVEL'));
  if (version === undefined || patchlevel === undefined) return undefined;
  const sublevel = number(field('SUBLEVEL')) ?? 0;
  const extraversion = field('EXTRAVERSION') ?? '';
  return { version, patchlevel, sublevel, extraversion, text: `${version}.${patchlevel}.${sublevel}${extraversion}` };
}

/** The mainline versions the model has (not proposals such as shmem-bypass-2023), oldest first. */
const MAINLINE = KERNEL_VERSIONS.flatMap((k) => {
  const m = /^v(\d+)\.(\d+)$/.exec(k.id);
  return m ? [{ id: k.id, version: Number(m[1]), patchlevel: Number(m[2]) }] : [];
}).sort((a, b) => a.version - b.version || a.patchlevel - b.patchlevel);

/**
 * The modelled version a release runs: the newest modelled one at or before it (6.9 -> v6.8, 6.15 ->
 * v6.14, 7.1 -> v7.0), or the oldest for anything older (5.10 -> v5.13). By major.minor only: an -rc
 * counts as its release.
 */
export function defaultKernelFor(release: Pick<KernelRelease, 'version' | 'patchlevel'> | string): string {
  const parsed = typeof release === 'string' ? /^v?(\d+)\.(\d+)/.exec(release) : undefined;
  const version = typeof release === 'string' ? Number(parsed?.[1] ?? NaN) : release.version;
  const patchlevel = typeof release === 'string' ? Number(parsed?.[2] ?? NaN) : release.patchlevel;
  const atOrBefore = MAINLINE.filter((k) => k.version < version || (k.version === version && k.patchlevel <= patchlevel));
  return (atOrBefore.length > 0 ? atOrBefore[atOrBefore.length - 1] : MAINLINE[0]).id;
}

/** Whether a listing of paths relative to a folder is a kernel tree (it has mm/memory.c). */
export function isKernelTree(listing: Iterable<string>): boolean {
  for (const path of listing) {
    if (path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '') === 'mm/memory.c') return true;
  }
  return false;
}
