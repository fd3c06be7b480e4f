/**
 * A worker's handle on the shared store. When the table asks to grow, the first worker to notice
 * raises the `growing` flag; every worker then pauses at its next insertion, and the coordinator,
 * once all running workers are paused, copies the table into a larger one and hands it out on each
 * job's port before releasing them (`parallel.ts`).
 */
import { receiveMessageOnPort, type MessagePort } from 'worker_threads';
import type { VisitedStore } from './depthFirst';
import { STORE_FULL } from './fingerprintSet';
import { CONTROL, signalCoordinator, type GrownStore } from './parallelProtocol';
import { SharedFingerprintSet, STORE_NEEDS_GROWTH } from './sharedFingerprintSet';

export class PausingStore implements VisitedStore {
  private full = false;

  constructor(private store: SharedFingerprintSet, private readonly control: Int32Array, private readonly port: MessagePort) {}

  get size(): number {
    return this.store.size;
  }

  get bytes(): number {
    return this.store.bytes;
  }

  add(h1: number, h2: number): number {
    for (;;) {
      if (this.full) return STORE_FULL;
      // A plain read: the flag is raised rarely, and seeing it one insertion late is harmless.
      if (this.control[CONTROL.growing] !== 0) {
        this.pause();
        continue;
      }
      const slot = this.store.add(h1, h2);
      if (slot !== STORE_NEEDS_GROWTH) return slot;
      if (Atomics.compareExchange(this.control, CONTROL.growing, 0, 1) === 0) signalCoordinator(this.control);
    }
  }

  idAt(slot: number): number {
    return this.store.idAt(slot);
  }

  flush(): void {
    this.store.flush();
  }

  private pause(): void {
    this.store.flush();
    const generation = Atomics.load(this.control, CONTROL.generation);
    Atomics.add(this.control, CONTROL.paused, 1);
    signalCoordinator(this.control);
    Atomics.wait(this.control, CONTROL.generation, generation);
    const grown = receiveMessageOnPort(this.port)?.message as GrownStore | undefined;
    if (grown?.store) this.store = new SharedFingerprintSet(grown.store);
    else this.full = true;
  }
}
