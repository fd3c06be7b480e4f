/**
 * The exhaustive depth-first engine behind `dfs`, `portfolio`, shards and the `parallel` workers.
 *
 * - One state, stepped in place: each step's writes go to an undo log (`UndoLog`), which takes the
 *   step back when its successor was seen before or its subtree is done. The fingerprint is updated
 *   from the words the step changed (`fingerprint.ts`), so a transition neither copies nor rehashes
 *   the whole state.
 * - Visited states are 64-bit fingerprints in a compact store (`FingerprintSet`, or the shared one).
 * - Symmetry: every state is replaced by its orbit's representative (`ThreadSymmetry`); each frame
 *   keeps the permutation back to the real threads, so schedules come out in real thread indexes.
 * - Partial-order reduction with sleep sets (Godefroid's algorithm with state caching): a transition
 *   sleeps after its subtree has been explored, and a sibling carries it along while the two are
 *   independent. Independence is decided per state from the objects each step actually read and
 *   wrote (`Machine.readBits/writeBits`), the guard's reads included, so a sleeping transition reads
 *   the same values it read where it was explored and would do exactly the same thing. Each stored
 *   state keeps the sleep set it was expanded with; reaching it again with a smaller one explores the
 *   difference. Sleep sets keep every reachable state (only transitions are pruned), so state
 *   properties, deadlocks and every step's own checks are preserved.
 * - Livelocks: Tarjan's algorithm on the fly over the (quotient) graph, with the weak-fairness test
 *   of `fairness.ts`. It needs every edge, so it runs without sleep sets. As in the reference, a
 *   livelock is reported only after a complete search found no safety violation.
 */
import type { Program } from '../model/program';
import type { PropertyFailure } from '../model/properties';
import { Machine } from '../model/state';
import { UndoLog } from '../model/undoLog';
import type { PropertyId } from '../scenario/types';
import type { Choice } from '../trace/schedule';
import { SearchBudget } from './budget';
import { fairCycleThreads, livelockMessage } from './fairness';
import { fingerprintSums, finishFingerprint, prepareShares, updateSums, wordsFor } from './fingerprint';
import { FingerprintStack } from './fingerprintStack';
import { FingerprintSet, STORE_FULL } from './fingerprintSet';
import { OperationClasses } from './graphPartition';
import { livelockLasso } from './livelockCycle';
import { grown } from './parentTable';
import { initialRoot } from './roots';
import { IDENTITY_PERMUTATION, packLabel, packPermutation, type StateGraphRecorder } from './stateGraphLog';
import { invertPermutation, permuteMask, ThreadSymmetry } from './symmetry';
import { deadlockFailure, stateFailure, transitionFailure } from './transition';
import type { Bound, SearchLimits, SearchOutcome, SearchStats } from './verdict';

/** Where visited fingerprints go: a `FingerprintSet`, or the store the parallel workers share. */
export interface VisitedStore {
  /** New slot (>= 0), `-(slot + 1)` when already present, or STORE_FULL. */
  add(h1: number, h2: number): number;
  readonly size: number;
  readonly bytes: number;
  /** One byte per slot (the sleep sets of partial-order reduction). */
  readonly payload?: Uint8Array;
  /** The state id of a slot `add` returned (stores that give ids: `SharedFingerprintSet`). */
  idAt?(slot: number): number;
}

/** A state to search from and the real choices that reach it. */
export interface Root {
  state: Uint8Array;
  prefix: Choice[];
}

export interface DepthFirstOptions {
  por: boolean;
  symmetry: boolean;
  /** Look for livelocks (on-the-fly SCCs); sleep sets are then off. */
  livelock: boolean;
  /** The order threads are tried in (parallel workers use different ones). */
  threadOrder?: readonly number[];
  store?: VisitedStore;
  /** States above a shard's frontier, stored already: a livelock check that meets one is incomplete. */
  aboveFrontier?: FingerprintSet;
  /** Roots were stored by the caller, and this search owns them: expand them even though they are known. */
  rootsStored?: boolean;
  /**
   * Called with the budget's poll and the figures so far; a bound it returns stops the search ('cancelled':
   * another worker found something; 'memory': the workers' memory together is spent).
   */
  onPoll?: (stats: SearchStats) => Bound | undefined;
  /** Record every expanded state and transition here, by the store's state ids (the parallel livelock check). */
  graph?: StateGraphRecorder;
}

const FAULT_COMPLETES: PropertyId = 'fault-completes';
/** Initial capacity of the visited store, in fingerprints. */
const INITIAL_STORE_CAPACITY = 1 << 12;

/** Whether a search with these options keeps sleep sets (a payload byte per stored state). */
export function usesSleepSets(options: Pick<DepthFirstOptions, 'por' | 'livelock' | 'graph'>, threads: number): boolean {
  // Sleep sets prune edges that the SCC analysis (on the fly or on the recorded graph) needs; the sleep byte holds at most 8 threads.
  return options.por && !options.livelock && !options.graph && threads <= 8;
}

export class DepthFirstSearch {
  private readonly store: VisitedStore;
  private readonly budget: SearchBudget;
  private states = 0;
  private transitions = 0;
  private deepest = 0;
  /** True when a livelock check met a state above the shard frontier (the check is then incomplete). */
  metAboveFrontier = false;

  private readonly threads: number;
  private readonly allThreads: number;
  private readonly objectWords: number;
  /** The current state (the deepest frame's), its words, and the log that takes steps back. */
  private readonly state: Uint8Array;
  private readonly words: Int32Array;
  private readonly undo: UndoLog;
  private readonly m: Machine;
  private readonly fp = new Int32Array(2);
  private readonly sigma: Uint8Array;
  private readonly sigmaInverse: Uint8Array;
  private readonly order: readonly number[];
  private readonly symmetry: ThreadSymmetry | undefined;
  private readonly por: boolean;
  private readonly livelock: boolean;
  private readonly checkDeadlock: boolean;

  // Per frame.
  /** Where the log stood before the step into the frame, and the frame state's fingerprint sums. */
  private readonly logMark: Int32Array;
  private readonly lowSum: Int32Array;
  private readonly highSum: Int32Array;
  private readonly choiceThread: Uint8Array;
  private readonly choiceBranch: Uint16Array;
  private readonly enabled: Int32Array;
  private readonly toExplore: Int32Array;
  private readonly sleep: Int32Array;
  private readonly cursor: Int32Array;
  private readonly nextBranch: Int32Array;
  private readonly branchCount: Int32Array;
  private readonly perm: Uint8Array;
  /** The state id of each frame's state, and whether the last step completed an operation, when recording the graph. */
  private readonly frameId: Int32Array;
  private completedOperation = false;
  /** The buckets of the recorded states, when recording the graph. */
  private readonly classes: OperationClasses | undefined;

  // Partial-order reduction: per frame and thread, the guard's reads and the union of what the
  // thread's explored branches read and wrote; and the current step's own reads and writes.
  private readonly guardReads: Int32Array;
  private readonly footReads: Int32Array;
  private readonly footWrites: Int32Array;
  private readonly stepReads: Int32Array;
  private readonly stepWrites: Int32Array;

  // Tarjan.
  private readonly tarjanStack = new FingerprintStack();
  private readonly tarjanIndex: Int32Array;
  private readonly low: Int32Array;
  private tarjanMoved: Int32Array = new Int32Array(256);
  private tarjanDisabled: Int32Array = new Int32Array(256);
  /** The frame of a stacked state still on the depth-first path, or -1 once its frame closed (see `keepOnStack`). */
  private tarjanFrame: Int32Array = new Int32Array(256);
  private tarjanPerm: Uint8Array;
  private generatorCount = 0;
  private generatorOwner: Int32Array = new Int32Array(16);
  private generatorPerm: Uint8Array;

  private rootPrefix: Choice[] = [];
  /** Frames deeper than this (maxDepth less the root's own depth) are not expanded. */
  private depthLimit = 0;
  private cut: Bound | undefined;
  private livelockFound: SearchOutcome | undefined;

  constructor(private readonly program: Program, private readonly props: ReadonlySet<PropertyId>, private readonly limits: SearchLimits,
    private readonly options: DepthFirstOptions) {
    const threads = program.threadCount;
    this.threads = threads;
    this.allThreads = (1 << threads) - 1;
    this.livelock = options.livelock;
    this.por = usesSleepSets(options, threads);
    this.symmetry = options.symmetry ? ThreadSymmetry.of(program) : undefined;
    this.checkDeadlock = props.has(FAULT_COMPLETES);
    this.order = options.threadOrder ?? [...Array(threads).keys()];
    this.budget = new SearchBudget(limits);
    this.store = options.store ?? new FingerprintSet(INITIAL_STORE_CAPACITY, this.por, this.budget.memoryBytes, true);
    if (options.graph && !this.store.idAt) throw new Error('recording the state graph needs a store that gives state ids');
    this.objectWords = program.layout.objectWords;
    // Frames 0 .. maxDepth: a frame at the depth limit has no successors.
    const f = limits.maxDepth + 1;
    const wordCount = wordsFor(program.layout.size);
    this.words = new Int32Array(wordCount);
    this.state = new Uint8Array(this.words.buffer, 0, program.layout.size);
    this.undo = new UndoLog(this.words);
    prepareShares(wordCount);
    this.m = new Machine(program.layout, this.state);
    this.m.undo = this.undo;
    this.logMark = new Int32Array(f);
    this.lowSum = new Int32Array(f);
    this.highSum = new Int32Array(f);
    this.sigma = new Uint8Array(threads);
    this.sigmaInverse = new Uint8Array(threads);
    this.choiceThread = new Uint8Array(f);
    this.choiceBranch = new Uint16Array(f);
    this.enabled = new Int32Array(f);
    this.toExplore = new Int32Array(f);
    this.sleep = new Int32Array(f);
    this.cursor = new Int32Array(f);
    this.nextBranch = new Int32Array(f);
    this.branchCount = new Int32Array(f * threads);
    this.perm = new Uint8Array(f * threads);
    this.frameId = new Int32Array(options.graph ? f : 0);
    this.classes = options.graph ? new OperationClasses(program) : undefined;
    const footprint = this.por ? f * threads * this.objectWords : 0;
    this.guardReads = new Int32Array(footprint);
    this.footReads = new Int32Array(footprint);
    this.footWrites = new Int32Array(footprint);
    this.stepReads = new Int32Array(this.objectWords);
    this.stepWrites = new Int32Array(this.objectWords);
    this.tarjanIndex = new Int32Array(this.livelock ? f : 0);
    this.low = new Int32Array(this.livelock ? f : 0);
    this.tarjanPerm = new Uint8Array(256 * threads);
    this.generatorPerm = new Uint8Array(16 * threads);
  }

  /** Bytes of the search's growing structures: the store, the Tarjan stack when looking for livelocks, the recorded graph. */
  private memoryBytes(): number {
    const tarjan = this.tarjanStack.bytes + this.tarjanMoved.byteLength * 3 + this.tarjanPerm.byteLength;
    return this.store.bytes + this.undo.bytes + tarjan + (this.options.graph?.bytes ?? 0);
  }

  stats(): SearchStats {
    return { states: this.states, transitions: this.transitions, ms: this.budget.elapsed(), maxDepth: this.deepest, storeBytes: this.store.bytes };
  }

  /** Searches from each root in turn (`nextRoot` returns undefined when there are no more). */
  run(nextRoot: () => Root | undefined): SearchOutcome {
    for (let root = nextRoot(); root; root = nextRoot()) {
      const stopped = this.searchFrom(root);
      if (stopped) return stopped;
    }
    if (this.cut) return { verdict: 'bounded', bound: this.cut, stats: this.stats() };
    if (this.livelockFound) return { ...this.livelockFound, stats: this.stats() };
    return { verdict: 'verified', stats: this.stats() };
  }

  /** Explores everything reachable from one root; returns an outcome only when the search must stop. */
  private searchFrom(root: Root): SearchOutcome | undefined {
    const { program, m } = this;
    this.rootPrefix = root.prefix;
    this.depthLimit = this.limits.maxDepth - root.prefix.length;
    this.state.set(root.state);
    this.undo.length = 0;
    this.logMark[0] = 0;
    m.violation = undefined;
    const initialFailure = stateFailure(program, m, this.props);
    if (initialFailure) return this.violation(0, initialFailure);
    if (this.symmetry) this.symmetry.canonicalise(m.s, this.sigma);
    else for (let t = 0; t < this.threads; t++) this.sigma[t] = t;
    invertPermutation(this.sigma, this.perm.subarray(0, this.threads));
    fingerprintSums(this.words, 0, this.words.length, this.fp);
    this.lowSum[0] = this.fp[0];
    this.highSum[0] = this.fp[1];
    finishFingerprint(this.fp[0], this.fp[1], this.fp);
    const added = this.store.add(this.fp[0], this.fp[1]);
    if (added === STORE_FULL) return this.bounded('memory');
    if (added < 0 && !this.options.rootsStored) return undefined;
    if (added >= 0) this.states++;
    const slot = added >= 0 ? added : -(added + 1);
    if (this.por) this.store.payload![slot] = 0;
    if (this.options.graph) this.frameId[0] = this.store.idAt!(slot);
    const pushed = this.push(0, 0, -1);
    if (pushed) return pushed;
    return this.descend();
  }

  private descend(): SearchOutcome | undefined {
    const { program, m, threads, order, props, por, undo } = this;
    const words = this.objectWords;
    let d = 0;
    while (d >= 0) {
      if (this.budget.pollDue()) {
        const bound = this.options.onPoll?.(this.stats()) ?? this.budget.poll(() => this.stats());
        if (bound) return this.bounded(bound);
        if (this.memoryBytes() > this.budget.memoryBytes) return this.bounded('memory');
      }
      // The next transition of frame d: the current thread's next branch, else the next thread to explore.
      let t: number;
      let b: number;
      const cur = this.cursor[d];
      if (cur >= 0 && this.nextBranch[d] < this.branchCount[d * threads + order[cur]]) {
        t = order[cur];
        b = this.nextBranch[d]++;
      } else {
        if (cur >= 0 && por) this.sleep[d] |= 1 << order[cur];
        let pos = cur + 1;
        while (pos < threads && (this.toExplore[d] & (1 << order[pos])) === 0) pos++;
        if (pos >= threads) {
          if (this.livelock) this.finishTarjan(d);
          this.options.graph?.done();
          undo.rollback(this.logMark[d]);
          d--;
          continue;
        }
        this.cursor[d] = pos;
        t = order[pos];
        b = 0;
        this.nextBranch[d] = 1;
        if (por) {
          const at = (d * threads + t) * words;
          for (let w = 0; w < words; w++) {
            this.footReads[at + w] = this.guardReads[at + w];
            this.footWrites[at + w] = 0;
          }
        }
      }

      const child = d + 1;
      const mark = undo.begin();
      m.violation = undefined;
      if (por) {
        for (let w = 0; w < words; w++) {
          this.stepReads[w] = 0;
          this.stepWrites[w] = 0;
        }
        m.readBits = this.stepReads;
        m.writeBits = this.stepWrites;
        program.execute(m, t, b);
        m.readBits = undefined;
        m.writeBits = undefined;
      } else if (this.options.graph) {
        const operation = program.operationIndex(m.s, t);
        program.execute(m, t, b);
        this.completedOperation = program.operationIndex(m.s, t) !== operation;
      } else {
        program.execute(m, t, b);
      }
      this.transitions++;
      const permuted = this.symmetry ? this.symmetry.canonicaliseAfterStep(m.s, this.sigma, t, undo) : false;
      const fp = this.fp;
      fp[0] = this.lowSum[d];
      fp[1] = this.highSum[d];
      updateSums(this.words, undo.positions, undo.oldValues, mark, undo.length, fp);
      const low = fp[0];
      const high = fp[1];
      finishFingerprint(low, high, fp);
      const childSleep = por ? this.carrySleep(d, t, permuted) : 0;
      const added = this.store.add(this.fp[0], this.fp[1]);
      if (this.options.graph && added !== STORE_FULL) this.recordEdge(child, t, b, added, permuted);
      // The state's own properties were checked when it was first stored (they are symmetric, so the
      // representative answers for the real state); the step's own checks apply to every transition.
      if (added >= 0 || m.violation !== undefined) {
        const failure = transitionFailure(program, m, props);
        if (failure) return this.violation(d, failure, { thread: t, branch: b });
      }
      if (added >= 0) {
        this.states++;
        if (this.store.size > this.limits.maxStates) return this.bounded('states');
        if (por) this.store.payload![added] = childSleep;
        this.enter(child, mark, low, high);
        const stopped = this.push(d, childSleep, -1, t, b, permuted);
        if (stopped) return stopped;
        d = child;
      } else if (added === STORE_FULL) {
        return this.bounded('memory');
      } else {
        const slot = -(added + 1);
        let revisit = 0;
        if (por) {
          const stored = this.store.payload![slot];
          revisit = stored & ~childSleep;
          if (revisit !== 0) this.store.payload![slot] = stored & childSleep;
        } else if (this.livelock) {
          this.edgeToKnown(d, t, permuted);
        }
        if (revisit !== 0) {
          this.enter(child, mark, low, high);
          const stopped = this.push(d, childSleep, revisit, t, b, permuted);
          if (stopped) return stopped;
          d = child;
        } else {
          undo.rollback(mark);
        }
      }
    }
    return undefined;
  }

  /**
   * Records the transition by (t, b) to the slot `add` answered, unless it completed an operation (such
   * a step lies on no cycle, and the livelock check needs only the edges that may); a new state's id
   * becomes the child frame's.
   */
  private recordEdge(child: number, t: number, b: number, added: number, permuted: boolean): void {
    const target = this.store.idAt!(added >= 0 ? added : -(added + 1));
    if (!this.completedOperation) this.options.graph!.edge(target, packLabel(t, b, permuted ? packPermutation(this.sigma) : IDENTITY_PERMUTATION));
    if (added >= 0) this.frameId[child] = target;
  }

  /** The current state becomes frame e's, reached by the step logged from `mark`. */
  private enter(e: number, mark: number, low: number, high: number): void {
    this.logMark[e] = mark;
    this.lowSum[e] = low;
    this.highSum[e] = high;
  }

  /**
   * Sets up frame `parent + 1` (or frame 0 when `parent` is 0 and no choice is given): its real-thread
   * permutation, branch counts, deadlock check, what to explore. `revisit` >= 0 re-enters a stored
   * state to explore only those threads.
   */
  private push(parent: number, childSleep: number, revisit: number, t = -1, b = 0, permuted = false): SearchOutcome | undefined {
    const { program, threads, m } = this;
    const e = t < 0 ? 0 : parent + 1;
    const row = e * threads;
    if (t >= 0) {
      this.choiceThread[e] = t;
      this.choiceBranch[e] = b;
      const parentRow = parent * threads;
      if (permuted) {
        invertPermutation(this.sigma, this.sigmaInverse);
        for (let x = 0; x < threads; x++) this.perm[row + x] = this.perm[parentRow + this.sigmaInverse[x]];
      } else {
        for (let x = 0; x < threads; x++) this.perm[row + x] = this.perm[parentRow + x];
      }
    }
    if (e + this.rootPrefix.length > this.deepest) this.deepest = e + this.rootPrefix.length;
    let enabled = 0;
    let enabledCount = 0;
    for (let x = 0; x < threads; x++) {
      let n: number;
      if (this.por) {
        // The guard's reads are part of the step's footprint: another thread may disable it.
        const reads = this.stepReads;
        const words = this.objectWords;
        for (let w = 0; w < words; w++) reads[w] = 0;
        m.readBits = reads;
        n = program.branches(m, x);
        m.readBits = undefined;
        for (let w = 0, at = (row + x) * words; w < words; w++) this.guardReads[at + w] = reads[w];
      } else {
        n = program.branches(m, x);
      }
      this.branchCount[row + x] = n;
      if (n > 0) {
        enabled |= 1 << x;
        enabledCount++;
      }
    }
    this.enabled[e] = enabled;
    this.cursor[e] = -1;
    this.sleep[e] = childSleep;
    if (revisit < 0) {
      if (this.classes) this.options.graph!.enter(this.frameId[e], ~enabled & this.allThreads, this.unfinished(m.s), this.classes.bucketOf(m.s));
      if (this.checkDeadlock) {
        const dead = deadlockFailure(program, m, enabledCount);
        if (dead) return this.violation(e, dead);
      }
    }
    if (e >= this.depthLimit) {
      if (enabled !== 0) this.cut = 'depth';
      this.toExplore[e] = 0;
    } else {
      this.toExplore[e] = (revisit >= 0 ? revisit : ~childSleep) & enabled;
    }
    if (this.livelock) this.pushTarjan(e);
    return undefined;
  }

  /**
   * The sleep set of the successor by thread t of frame d: the threads asleep in frame d that are
   * independent of this step, renumbered for the successor's representative; their footprints move
   * along. Also folds this step's footprint into thread t's.
   */
  private carrySleep(d: number, t: number, permuted: boolean): number {
    const words = this.objectWords;
    const threads = this.threads;
    const at = (d * threads + t) * words;
    const reads = this.stepReads;
    const writes = this.stepWrites;
    for (let w = 0; w < words; w++) {
      reads[w] |= this.guardReads[at + w];
      this.footReads[at + w] |= reads[w];
      this.footWrites[at + w] |= writes[w];
    }
    let carried = 0;
    for (let asleep = this.sleep[d]; asleep !== 0; asleep &= asleep - 1) {
      const x = 31 - Math.clz32(asleep & -asleep);
      const xa = (d * threads + x) * words;
      let independent = true;
      for (let w = 0; w < words && independent; w++) {
        const xr = this.footReads[xa + w];
        const xw = this.footWrites[xa + w];
        independent = (xw & (reads[w] | writes[w])) === 0 && (writes[w] & xr) === 0;
      }
      if (!independent) continue;
      const moved = permuted ? this.sigma[x] : x;
      carried |= 1 << moved;
      const ca = ((d + 1) * threads + moved) * words;
      for (let w = 0; w < words; w++) {
        this.footReads[ca + w] = this.footReads[xa + w];
        this.footWrites[ca + w] = this.footWrites[xa + w];
      }
    }
    return carried;
  }

  private unfinished(s: Uint8Array): number {
    let mask = 0;
    for (let x = 0; x < this.threads; x++) if (!this.program.isFinished(s, x)) mask |= 1 << x;
    return mask;
  }

  // ---- Tarjan ---------------------------------------------------------------------------------

  private pushTarjan(e: number): void {
    const i = this.tarjanStack.push(this.fp[0], this.fp[1]);
    if (i === this.tarjanMoved.length) this.growTarjan();
    this.tarjanMoved[i] = 0;
    this.tarjanFrame[i] = e;
    this.tarjanIndex[e] = i;
    this.low[e] = i;
  }

  /**
   * Frame e is done but its state stays on the Tarjan stack: keep what the frame knew (its real-thread
   * permutation, its disabled threads), since the frame is about to be reused. Most states close their
   * own component and never need this.
   */
  private keepOnStack(e: number, i: number): void {
    const threads = this.threads;
    const row = e * threads;
    for (let x = 0; x < threads; x++) this.tarjanPerm[i * threads + x] = this.perm[row + x];
    this.tarjanDisabled[i] = this.disabledThreads(e);
    this.tarjanFrame[i] = -1;
  }

  /** Frame e's disabled threads, in real thread indexes. */
  private disabledThreads(e: number): number {
    const row = e * this.threads;
    let disabled = 0;
    for (let x = 0, mask = ~this.enabled[e] & this.allThreads; mask !== 0; x++, mask >>>= 1) {
      if (mask & 1) disabled |= 1 << this.perm[row + x];
    }
    return disabled;
  }

  /** An edge from frame d (canonical thread t) to a state stored before: a cycle if it is on the stack. */
  private edgeToKnown(d: number, t: number, permuted: boolean): void {
    const target = this.tarjanStack.indexOf(this.fp[0], this.fp[1]);
    if (target < 0) {
      if (this.options.aboveFrontier && this.options.aboveFrontier.find(this.fp[0], this.fp[1]) >= 0) this.metAboveFrontier = true;
      return;
    }
    const threads = this.threads;
    if (target < this.low[d]) this.low[d] = target;
    const rowD = d * threads;
    this.tarjanMoved[this.tarjanIndex[d]] |= 1 << this.perm[rowD + t];
    if (!this.symmetry) return;
    // g = pi_d . sigma^-1 . pi_target^-1 maps the target's stored real copy onto the one reached here.
    if (permuted) invertPermutation(this.sigma, this.sigmaInverse);
    else for (let x = 0; x < threads; x++) this.sigmaInverse[x] = x;
    const frame = this.tarjanFrame[target];
    const targetPerm = frame >= 0 ? this.perm.subarray(frame * threads, (frame + 1) * threads) : this.tarjanPerm.subarray(target * threads, (target + 1) * threads);
    const g = new Uint8Array(threads);
    let identity = true;
    for (let x = 0; x < threads; x++) {
      let y = 0;
      while (targetPerm[y] !== x) y++;
      g[x] = this.perm[rowD + this.sigmaInverse[y]];
      if (g[x] !== x) identity = false;
    }
    if (identity) return;
    const k = this.generatorCount++;
    if (k === this.generatorOwner.length) {
      this.generatorOwner = grown(this.generatorOwner, k * 2);
      this.generatorPerm = grown(this.generatorPerm, k * 2 * threads);
    }
    this.generatorOwner[k] = this.tarjanIndex[d];
    this.generatorPerm.set(g, k * threads);
  }

  /** Frame d is done: close its component if it is a root, else pass its low link up. */
  private finishTarjan(d: number): void {
    const i = this.tarjanIndex[d];
    if (this.low[d] !== i) {
      this.keepOnStack(d, i);
      const parent = d - 1;
      if (this.low[d] < this.low[parent]) this.low[parent] = this.low[d];
      this.tarjanMoved[this.tarjanIndex[parent]] |= 1 << this.perm[parent * this.threads + this.choiceThread[d]];
      return;
    }
    if (!this.livelockFound && !this.cut) this.checkComponent(d, i);
    this.tarjanStack.popTo(i);
    while (this.generatorCount > 0 && this.generatorOwner[this.generatorCount - 1] >= i) this.generatorCount--;
  }

  private checkComponent(d: number, first: number): void {
    const threads = this.threads;
    let moved = 0;
    const size = this.tarjanStack.size;
    for (let j = first; j < size; j++) moved |= this.tarjanMoved[j];
    if (moved === 0) return;
    // The component's root is frame d's state; the others were kept when their frames closed.
    let disabled = this.disabledThreads(d);
    for (let j = first + 1; j < size; j++) disabled |= this.tarjanDisabled[j];
    const generators: Uint8Array[] = [];
    for (let k = this.generatorCount - 1; k >= 0 && this.generatorOwner[k] >= first; k--) {
      generators.push(this.generatorPerm.subarray(k * threads, (k + 1) * threads));
    }
    const row = this.perm.subarray(d * threads, (d + 1) * threads);
    const state = this.state;
    const spinning = fairCycleThreads({ unfinished: permuteMask(this.unfinished(state), row), moved, disabled, generators });
    if (spinning === undefined) return;
    const members = new FingerprintSet(2 * (size - first), false);
    for (let j = first; j < size; j++) members.add(this.tarjanStack.h1At(j), this.tarjanStack.h2At(j));
    const lasso = livelockLasso(this.program, this.symmetry, state.slice(), row.slice(), members);
    this.livelockFound = {
      verdict: 'violation',
      property: FAULT_COMPLETES,
      message: livelockMessage(spinning, this.program.threadNames),
      schedule: { prefix: [...this.pathTo(d), ...lasso.lead], cycle: lasso.cycle },
      stats: this.stats(),
    };
  }

  private growTarjan(): void {
    const n = this.tarjanMoved.length * 2;
    this.tarjanMoved = grown(this.tarjanMoved, n);
    this.tarjanDisabled = grown(this.tarjanDisabled, n);
    this.tarjanFrame = grown(this.tarjanFrame, n);
    this.tarjanPerm = grown(this.tarjanPerm, n * this.threads);
  }

  // ---- outcomes -------------------------------------------------------------------------------

  /** Real choices from the initial state to frame e. */
  private pathTo(e: number): Choice[] {
    const path = [...this.rootPrefix];
    for (let k = 1; k <= e; k++) {
      path.push({ thread: this.perm[(k - 1) * this.threads + this.choiceThread[k]], branch: this.choiceBranch[k] });
    }
    return path;
  }

  private violation(e: number, failure: PropertyFailure, last?: Choice): SearchOutcome {
    const prefix = this.pathTo(e);
    if (last) prefix.push({ thread: this.perm[e * this.threads + last.thread], branch: last.branch });
    return { verdict: 'violation', ...failure, schedule: { prefix }, stats: this.stats() };
  }

  private bounded(bound: Bound): SearchOutcome {
    return { verdict: 'bounded', bound, stats: this.stats() };
  }
}

/**
 * The complete search from the initial state with its livelock pass (every edge, so no sleep sets):
 * what decides fault-completes where a strategy's own search cannot (bfs, preempt, a shard whose check
 * met states above its frontier; the parallel strategy for the counterexample of a livelock it found).
 */
export function livelockPass(program: Program, props: ReadonlySet<PropertyId>, limits: SearchLimits, symmetry: boolean): SearchOutcome {
  return new DepthFirstSearch(program, props, limits, { por: false, symmetry, livelock: true }).run(initialRoot(program));
}
