/**
 * `pct`: probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010). Each run gives the n
 * threads distinct random priorities d .. d+n-1 and picks d-1 random change points among the first k
 * steps; the highest-priority enabled thread always runs, and at the i-th change point the running
 * thread drops to priority i. A bug that needs d ordering constraints is hit with probability at
 * least 1/(n k^(d-1)) per run. k is the length of one round-robin execution, measured up front, so
 * a run's schedule depends only on the scenario, the seed and the run's index.
 */
import type { Program } from '../model/program';
import { Machine } from '../model/state';
import { uniformStep } from './random';
import { sampleExecutions, type SchedulerFactory } from './sampling';
import type { Strategy } from './strategy';

/** Steps of the execution that runs the threads in turn, one step each (bounded by maxDepth). */
function roundRobinLength(program: Program, maxDepth: number): number {
  const m = new Machine(program.layout, program.initialState());
  const threads = program.threadCount;
  let steps = 0;
  for (let idle = 0, t = 0; idle < threads && steps < maxDepth; t = (t + 1) % threads) {
    if (program.branches(m, t) === 0) {
      idle++;
      continue;
    }
    idle = 0;
    program.execute(m, t, 0);
    steps++;
  }
  return Math.max(1, steps);
}

function pctScheduler(depth: number, threads: number, steps: number): SchedulerFactory {
  return (rng) => {
    const priority = new Int32Array(threads);
    const order = [...Array(threads).keys()];
    for (let i = threads - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    order.forEach((t, rank) => (priority[t] = depth + rank));
    const changeAt = new Map<number, number>();
    for (let i = 1; i < depth && changeAt.size < steps; i++) {
      let step = rng.below(steps);
      while (changeAt.has(step)) step = (step + 1) % steps;
      changeAt.set(step, i);
    }
    const only = new Int32Array(threads);
    return (branchCounts, step, r) => {
      let best = -1;
      for (let t = 0; t < threads; t++) if (branchCounts[t] > 0 && (best < 0 || priority[t] > priority[best])) best = t;
      const change = changeAt.get(step);
      if (change !== undefined) priority[best] = change;
      only.fill(0);
      only[best] = branchCounts[best];
      return uniformStep(only, step, r);
    };
  };
}

export const pctStrategy: Strategy = {
  id: 'pct',
  summary: 'probabilistic concurrency testing with a seed and a bug depth (a bug finder: never verifies)',
  exhaustive: false,
  takes: { seed: true, shard: true, workers: false },
  run: (program, props, limits, options) => {
    const factory = pctScheduler(Math.max(1, options.pctDepth), program.threadCount, roundRobinLength(program, limits.maxDepth));
    return sampleExecutions(program, props, limits, options, options.walks, factory);
  },
};
