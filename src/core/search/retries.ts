/**
 * Cycle detection's cheap half: every cycle of the state graph contains a step that takes a thread
 * back to an earlier point of its path (operation indexes never decrease, and within an operation only
 * a backward jump returns to a program counter the thread had). A search that ran every step and saw
 * no such step can skip the livelock analysis.
 */
import { TF_OP, TF_PC } from '../model/state';

/** Did the thread whose block starts at `block` go back in its path from `before` to `after`? */
export function jumpedBack(before: Uint8Array, after: Uint8Array, block: number): boolean {
  return after[block + TF_OP] === before[block + TF_OP] && after[block + TF_PC] <= before[block + TF_PC];
}
