/** `random`: seeded random walks; each step is uniform over the enabled (thread, branch) pairs. */
import type { Choice } from '../trace/schedule';
import { sampleExecutions, type Scheduler } from './sampling';
import type { Strategy } from './strategy';

export const uniformStep: Scheduler = (branchCounts, _step, rng): Choice => {
  let total = 0;
  for (let t = 0; t < branchCounts.length; t++) total += branchCounts[t];
  let pick = rng.below(total);
  for (let t = 0; ; t++) {
    if (pick < branchCounts[t]) return { thread: t, branch: pick };
    pick -= branchCounts[t];
  }
};

export const randomStrategy: Strategy = {
  id: 'random',
  summary: 'seeded random walks (a bug finder: never verifies)',
  exhaustive: false,
  takes: { seed: true, shard: true, workers: false },
  run: (program, props, limits, options) => sampleExecutions(program, props, limits, options, options.walks, () => uniformStep),
};
