/**
 * A scenario compiled for one kernel version: each thread's operations become paths of steps, and the
 * initial state is laid out. `execute` is the one step function shared by every search strategy and by
 * replay.
 */
import type { KernelFeatures, KernelVersion } from '../kernels/versions';
import { runsInPageProcess, type Operation, type Scenario } from '../scenario/types';
import { addDoSwapPage } from './do_swap_page';
import { addReclaim } from './reclaim';
import { addShmemSwapinFolio } from './shmem_swapin_folio';
import {
  DEV_NEXT_VALUE, DEV_WRITEOK, FOLIO_IN_USE, FOLIO_SWAPCACHE, FOLIO_UPTODATE, Layout, Machine, NONE,
  PTE_NONE, SLOT_HAS_CACHE, SLOT_ZSWAP, TF_AUX, TF_FLAGS, TF_OP, TF_PC, THREAD_FIELDS, ZERO_DATA, presentPte, swapPte,
} from './state';
import { DONE, NEXT, PageInfo, Path, StepCtx, StepDef } from './step';
import { addSwapoff } from './swapoff';
import { anonAccess, doAnonymousPage, doWpPageCopy, dontneedZap, fork, munmapZap, shmemAccess } from './user_access';

/** A thread's block between operations: op index, pc and flags 0, every other field NONE (the caller sets the op index). */
const THREAD_RESET = Uint8Array.from({ length: THREAD_FIELDS }, (_, i) => (i === TF_OP || i === TF_PC || i === TF_FLAGS ? 0 : NONE));

interface CompiledOp {
  op: Operation;
  path: Path;
  ctx: StepCtx;
  /**
   * Per step, the targets it returned so far and their resolved indexes, filled lazily. Steps return
   * string literals, which the engine interns: a short scan with === is cheaper than a Map lookup.
   */
  targetIds: string[][];
  targetIndexes: number[][];
  /** For an operation on a page that a fork in another thread creates: that fork, which it waits for. */
  waitsForFork: ForkAt | undefined;
}

/** The fork operation that creates a page: its thread and operation index. */
interface ForkAt {
  thread: number;
  op: number;
}

/** Paths depend only on the operation kind, the page kind and the kernel: build each once. */
export function buildPath(kind: Operation['op'], pageKind: 'anon' | 'shmem', k: KernelFeatures): Path {
  const path = new Path();
  switch (kind) {
    case 'read':
    case 'write':
      if (pageKind === 'anon') {
        path.add(anonAccess);
        addDoSwapPage(path, k, { retry: anonAccess.id });
        path.add(doAnonymousPage);
        path.add(doWpPageCopy);
      } else {
        path.add(shmemAccess);
        addShmemSwapinFolio(path, k, { retry: shmemAccess.id });
      }
      break;
    case 'reclaim':
      addReclaim(path, k);
      break;
    case 'munmap':
      path.add(munmapZap);
      break;
    case 'dontneed':
      path.add(dontneedZap);
      break;
    case 'fork':
      path.add(fork);
      break;
    case 'swapoff':
      addSwapoff(path, k);
      break;
  }
  return path;
}

export class Program {
  readonly layout: Layout;
  readonly pages: PageInfo[];
  readonly threadNames: string[];
  private readonly ops: CompiledOp[][];
  /** Offsets of each thread's op index and program counter: the search reads them for every step. */
  private readonly opAt: Int32Array;
  private readonly pcAt: Int32Array;

  constructor(readonly scenario: Scenario, readonly kernel: KernelVersion) {
    const k = kernel.features;
    this.pages = scenario.pages.map((p) => ({ name: p.name, kind: p.kind, mm: p.mm }));
    this.threadNames = scenario.threads.map((t) => t.name);
    const pageIndex = new Map(scenario.pages.map((p, i) => [p.name, i]));
    const mms = Math.max(1, ...scenario.pages.map((p) => p.mm + 1));
    // Every page may hold a folio, and each thread at most two at a time (its own and a COW copy).
    const folios = scenario.pages.length + 2 * scenario.threads.length + 1;
    this.layout = new Layout({ mms, pages: scenario.pages.length, slots: scenario.device.slots, folios, threads: scenario.threads.length });

    this.opAt = Int32Array.from(scenario.threads, (_, t) => this.layout.thread + t * THREAD_FIELDS + TF_OP);
    this.pcAt = Int32Array.from(scenario.threads, (_, t) => this.layout.thread + t * THREAD_FIELDS + TF_PC);
    const paths = new Map<string, Path>();
    const forkOf = new Map<number, ForkAt>();
    scenario.threads.forEach((thread, t) => thread.ops.forEach((op, i) => {
      if (op.op === 'fork') forkOf.set(pageIndex.get(op.into)!, { thread: t, op: i });
    }));
    this.ops = scenario.threads.map((thread, t) =>
      thread.ops.map((op) => {
        const page = 'page' in op ? pageIndex.get(op.page)! : 0;
        const pageKind = this.pages[page]?.kind ?? 'anon';
        const key = `${op.op}/${pageKind}`;
        if (!paths.has(key)) paths.set(key, buildPath(op.op, pageKind, k));
        const path = paths.get(key)!;
        const ctx: StepCtx = {
          t,
          k,
          device: scenario.device,
          pages: this.pages,
          page: op.op === 'swapoff' ? (m: Machine) => m.tl(t, TF_AUX) : () => page,
          into: op.op === 'fork' ? pageIndex.get(op.into)! : 0,
          write: op.op === 'write',
        };
        // The child process exists from the fork on: another thread's use of its page waits for the fork.
        const fork = runsInPageProcess(op.op) ? forkOf.get(page) : undefined;
        const waitsForFork = fork && fork.thread !== t ? fork : undefined;
        return { op, path, ctx, targetIds: path.steps.map(() => []), targetIndexes: path.steps.map(() => []), waitsForFork };
      }),
    );
  }

  get threadCount(): number {
    return this.ops.length;
  }

  initialState(): Uint8Array {
    const m = new Machine(this.layout, new Uint8Array(this.layout.size));
    const { sizes } = this.layout;
    for (let mm = 0; mm < sizes.mms; mm++) m.setPtl(mm, NONE);
    m.setDev(DEV_WRITEOK, 1);
    m.setDev(DEV_NEXT_VALUE, sizes.pages + 1);
    for (let s = 0; s < sizes.slots; s++) m.setCacheFolio(s, NONE);
    for (let f = 0; f < sizes.folios; f++) {
      m.setLockOwner(f, NONE);
      m.setFolioSwap(f, NONE);
    }
    const pageIndex = new Map(this.scenario.pages.map((p, i) => [p.name, i]));
    let nextFolio = 0;
    this.scenario.pages.forEach((spec, p) => {
      const value = p + 1;
      if (spec.initial === 'none') {
        m.setPte(p, PTE_NONE);
        m.setLatest(p, ZERO_DATA);
        return;
      }
      m.setLatest(p, value);
      if (spec.initial === 'present') {
        const f = nextFolio++;
        m.setFolioFlags(f, FOLIO_IN_USE | FOLIO_UPTODATE);
        m.setFolioData(f, value);
        m.setFolioUsers(f, 1);
        m.setPte(p, presentPte(f));
        return;
      }
      const slot = spec.slot ?? p;
      m.setPte(p, swapPte(slot));
      m.setCount(slot, m.count(slot) + 1);
      m.setSlotData(slot, value);
      if (this.scenario.device.zswap) m.setSlotFlags(slot, m.slotFlags(slot) | SLOT_ZSWAP);
      if (spec.cached) {
        const f = nextFolio++;
        m.setFolioFlags(f, FOLIO_IN_USE | FOLIO_UPTODATE | FOLIO_SWAPCACHE);
        m.setFolioData(f, value);
        m.setFolioSwap(f, slot);
        m.setCacheFolio(slot, f);
        m.setSlotFlags(slot, m.slotFlags(slot) | SLOT_HAS_CACHE);
      }
    });
    // A fork child shares its parent's entry: one more reference on the same slot, the same contents.
    this.scenario.pages.forEach((spec, p) => {
      if (spec.initial !== 'swapped' || spec.sharedWith === undefined) return;
      const q = pageIndex.get(spec.sharedWith)!;
      m.setPte(q, m.pte(p));
      m.setLatest(q, m.latest(p));
      m.setCount(spec.slot ?? p, m.count(spec.slot ?? p) + 1);
    });
    for (let t = 0; t < sizes.threads; t++) this.resetThread(m, t);
    return m.s;
  }


  /** Thread t's block as between operations (THREAD_RESET). */
  private resetThread(m: Machine, t: number): void {
    const base = this.layout.thread + t * THREAD_FIELDS;
    for (let i = 0; i < THREAD_FIELDS; i++) m.put(base + i, THREAD_RESET[i]);
  }

  /** Thread t's operation index: it never decreases, so a step that raises it lies on no cycle. */
  operationIndex(s: Uint8Array, t: number): number {
    return s[this.opAt[t]];
  }

  isFinished(s: Uint8Array, t: number): boolean {
    return s[this.opAt[t]] >= this.ops[t].length;
  }

  allFinished(s: Uint8Array): boolean {
    for (let t = 0; t < this.ops.length; t++) if (!this.isFinished(s, t)) return false;
    return true;
  }

  /** The step thread t would take next, or undefined when it has finished. */
  nextStep(s: Uint8Array, t: number): { step: StepDef; op: CompiledOp } | undefined {
    const base = this.layout.thread + t * THREAD_FIELDS;
    const opIndex = s[base + TF_OP];
    if (opIndex >= this.ops[t].length) return undefined;
    const op = this.ops[t][opIndex];
    return { step: op.path.steps[s[base + TF_PC]], op };
  }

  /** Number of branches thread t can take in m's state: 0 when finished or blocked. */
  branches(m: Machine, t: number): number {
    // The search asks this for every thread of every state: no allocation here.
    const ops = this.ops[t];
    const opIndex = m.s[this.opAt[t]];
    if (opIndex >= ops.length) return 0;
    const op = ops[opIndex];
    if (op.waitsForFork !== undefined && !this.forked(m, op.waitsForFork)) return 0;
    const step = op.path.steps[m.s[this.pcAt[t]]];
    if (step.enabled !== undefined && !step.enabled(m, op.ctx)) return 0;
    return step.branches !== undefined ? step.branches(m, op.ctx) : 1;
  }

  /**
   * Whether the fork has run (its thread is past it). No object is read: a waiting thread is disabled
   * until then and enabled for good after, so no sleep set ever holds it while the fork is to come.
   */
  private forked(m: Machine, fork: ForkAt): boolean {
    return m.s[this.opAt[fork.thread]] > fork.op;
  }

  /** Runs thread t's next step with the given branch, in place on m. */
  execute(m: Machine, t: number, choice: number): StepDef {
    const opIndex = m.s[this.opAt[t]];
    const op = this.ops[t][opIndex];
    const pc = m.s[this.pcAt[t]];
    const step = op.path.steps[pc];
    const target = step.run(m, op.ctx, choice);
    if (target === DONE) {
      this.resetThread(m, t);
      m.put(this.opAt[t], opIndex + 1);
      return step;
    }
    let next: number;
    if (target === NEXT) {
      next = pc + 1;
      if (next >= op.path.steps.length) throw new Error(`step ${step.id} falls off the end of its path`);
    } else {
      const ids = op.targetIds[pc];
      let k = 0;
      while (k < ids.length && ids[k] !== target) k++;
      if (k === ids.length) {
        ids.push(target);
        op.targetIndexes[pc].push(op.path.resolve(target));
      }
      next = op.targetIndexes[pc][k];
    }
    m.put(this.pcAt[t], next);
    const entered = op.path.steps[next].entered;
    if (entered !== undefined) entered(m, op.ctx);
    return step;
  }

  /** Every path step of this program, for listings and source anchors. */
  allSteps(): StepDef[] {
    const seen = new Map<string, StepDef>();
    for (const ops of this.ops) for (const op of ops) for (const step of op.path.steps) seen.set(step.id, step);
    return [...seen.values()];
  }
}
