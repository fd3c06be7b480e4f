/** Root sources for the depth-first engine. */
import type { Program } from '../model/program';
import type { Root } from './depthFirst';

/** The initial state, once. */
export function initialRoot(program: Program): () => Root | undefined {
  return rootsFrom([{ state: program.initialState(), prefix: [] }]);
}

/** The given roots, one after the other. */
export function rootsFrom(roots: readonly Root[]): () => Root | undefined {
  let next = 0;
  return () => roots[next++];
}
