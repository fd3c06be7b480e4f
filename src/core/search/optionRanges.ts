/**
 * The ranges a caller's search options must fall in: the one definition the CLI's flags and the extension's
 * settings are both checked against. package.json states the settings' ranges again for the settings editor
 * (JSON cannot import them); test/core/settingsSchema.test.ts fails when the two disagree.
 */
import { LIMITS } from '../scenario/parse';

export interface OptionRange {
  readonly min: number;
  readonly max: number;
}

export const SEARCH_OPTION_RANGES = {
  /** What the seeded generator (`prng.ts`) takes: a 32-bit unsigned integer. */
  seed: { min: 0, max: 2 ** 32 - 1 },
  /** More workers than this is a typo, not a machine. */
  workers: { min: 1, max: 64 },
  /** Parts a sharded search may be split into. */
  shards: { min: 1, max: 4096 },
  /** MiB for the search's stores (`SearchLimits.maxMemoryMb`); more than a terabyte is a typo, not a machine. */
  maxMemoryMb: { min: 1, max: 2 ** 20 },
  // An override of a scenario's own bound takes the range the scenario's `bounds` take.
  maxStates: LIMITS.maxStates,
  maxDepth: LIMITS.maxDepth,
  timeoutMs: LIMITS.timeoutMs,
} as const satisfies Record<string, OptionRange>;
