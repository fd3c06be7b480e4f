/**
 * Growable per-state records of a breadth-first search: the parent and the (canonical) choice that
 * first reached each state, from which a schedule is read back. bfs, minimisation and the search for
 * a livelock's shortest cycle each keep one.
 */
import type { Choice } from '../trace/schedule';

export class ParentTable {
  parent: Int32Array = new Int32Array(1024);
  thread: Uint8Array = new Uint8Array(1024);
  branch: Uint8Array = new Uint8Array(1024);
  size = 0;

  get bytes(): number {
    return this.parent.byteLength + this.thread.byteLength + this.branch.byteLength;
  }

  push(parent: number, thread: number, branch: number): number {
    if (this.size === this.parent.length) this.grow(this.size * 2);
    this.setParent(this.size, parent, thread, branch);
    return this.size++;
  }

  setParent(id: number, parent: number, thread: number, branch: number): void {
    this.parent[id] = parent;
    this.thread[id] = thread;
    this.branch[id] = branch;
  }

  /** Choices from the initial state (record 0) to record `id`. */
  pathTo(id: number): Choice[] {
    const path: Choice[] = [];
    for (let at = id; at > 0; at = this.parent[at]) path.push({ thread: this.thread[at], branch: this.branch[at] });
    return path.reverse();
  }

  protected grow(n: number): void {
    this.parent = grown(this.parent, n);
    this.thread = grown(this.thread, n);
    this.branch = grown(this.branch, n);
  }
}

export function grown<T extends Int32Array | Uint8Array | Uint16Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (n: number) => T)(length);
  copy.set(array);
  return copy;
}
