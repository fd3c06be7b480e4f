/** Exit codes, the same for every command: scripts and CI read the verdict from them. */
import type { VerdictKind } from '../core';

export const EXIT = {
  verified: 0,
  violation: 1,
  /** Bad input or usage: an unknown scenario, version or flag, a malformed file, an absurd bound. */
  badInput: 2,
  /** The search stopped at a bound before it could decide. */
  bounded: 3,
} as const;

export function exitCodeFor(verdict: VerdictKind): number {
  return EXIT[verdict];
}
