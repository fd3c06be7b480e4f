/**
 * Benchmark scenario families, built in code. Each grows along one axis (faulting threads, reclaim
 * cycles, swap slots, a mix of anon, shmem and swapoff) on a synchronous device with the any-free
 * allocator, so that slot reuse is a branch of the search. Every case names the kernel it runs on:
 * a fixed version for throughput, and v6.7 where time to the first violation is the point.
 */
import { PROPERTY_IDS, type Operation, type PageSpec, type PropertyId, type Scenario, type ThreadSpec } from '../src/core/scenario/types';

export interface BenchCase {
  /** `family/size`, e.g. `faulters/3`. */
  id: string;
  scenario: Scenario;
  kernel: string;
}

export interface Family {
  id: string;
  description: string;
  cases: BenchCase[];
}

/** Every property but the freed-slot read, which the S1 loser trips harmlessly (as in the built-ins). */
const PROPERTIES: PropertyId[] = PROPERTY_IDS.filter((p) => p !== 'no-freed-slot-read');

const anon = (name: string, slot: number): PageSpec => ({ name, kind: 'anon', mm: 0, initial: 'swapped', cached: false, slot });
const shmem = (name: string, slot: number): PageSpec => ({ name, kind: 'shmem', mm: 0, initial: 'swapped', cached: false, slot });
const thread = (name: string, ...ops: Operation[]): ThreadSpec => ({ name, ops });
const read = (page: string): Operation => ({ op: 'read', page });
const write = (page: string): Operation => ({ op: 'write', page });
const reclaim = (page: string): Operation => ({ op: 'reclaim', page });

function scenario(id: string, kernel: string, slots: number, pages: PageSpec[], threads: ThreadSpec[]): Scenario {
  return {
    id,
    title: id,
    description: 'benchmark',
    kernel,
    device: { synchronous: true, slots, allocator: 'any-free', discardOnFree: false, reuse: 'immediate', batchSize: 2, zswap: false, swapFull: false },
    pages,
    threads,
    properties: PROPERTIES,
    bounds: { maxStates: 40_000_000, maxDepth: 20_000, timeoutMs: 300_000 },
    expect: {},
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const FAMILIES: Family[] = [
  {
    id: 'faulters',
    description: 'n identical readers fault on one anon entry while reclaim swaps the page out again (v6.8: pinned, verified)',
    cases: range(2, 5).map((n) => ({
      id: `faulters/${n}`,
      kernel: 'v6.8',
      scenario: scenario(`faulters-${n}`, 'v6.8', 2, [anon('p0', 0)], [
        ...range(1, n).map((i) => thread(`T${i}`, read('p0'))),
        thread('R', reclaim('p0')),
      ]),
    })),
  },
  {
    id: 'reclaim-cycles',
    description: 'the S1 race with c write-and-reclaim cycles after it (v6.7: the ABA is there to find)',
    cases: range(1, 3).map((c) => ({
      id: `reclaim-cycles/${c}`,
      kernel: 'v6.7',
      scenario: scenario(`reclaim-cycles-${c}`, 'v6.7', 2, [anon('p0', 0)], [
        thread('T0', read('p0')),
        thread('T1', read('p0'), ...range(1, c).map(() => write('p0'))),
        thread('R', ...range(1, c).map(() => reclaim('p0'))),
      ]),
    })),
  },
  {
    id: 'slots',
    description: 'two anon pages, a reader of each (one also writes) and reclaim of both, on s swap slots (v6.12, verified)',
    cases: range(2, 4).map((s) => ({
      id: `slots/${s}`,
      kernel: 'v6.12',
      scenario: scenario(`slots-${s}`, 'v6.12', s, [anon('p0', 0), anon('p1', 1)], [
        thread('T0', read('p0')),
        thread('T1', read('p1'), write('p1')),
        thread('R', reclaim('p0'), reclaim('p1')),
      ]),
    })),
  },
  {
    id: 'mixed',
    description: 'an anon and a shmem page under swapoff; then reclaim of the shmem page; then a second anon reader (v6.18, verified)',
    cases: range(1, 3).map((k) => ({
      id: `mixed/${k}`,
      kernel: 'v6.18',
      scenario: scenario(`mixed-${k}`, 'v6.18', 3, [anon('p0', 0), shmem('s0', 1)], [
        thread('A1', read('p0')),
        thread('S1', read('s0')),
        thread('off', { op: 'swapoff' }),
        ...(k >= 2 ? [thread('R', reclaim('s0'))] : []),
        ...(k >= 3 ? [thread('A2', read('p0'))] : []),
      ]),
    })),
  },
];
