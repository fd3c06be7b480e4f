/**
 * The seeded generator of the randomized strategies (mulberry32): the same seed and stream give the
 * same numbers on every platform, in every thread. Each walk or run gets its own stream, so a shard
 * or a worker can run walk k without running walks 0..k-1.
 */
export class Prng {
  private state: number;

  constructor(seed: number, stream: number) {
    let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 0x632be5ab, 0xc2b2ae35);
    h ^= h >>> 16;
    this.state = h | 0;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}
