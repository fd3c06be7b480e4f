/**
 * A worker's handle on the shared store. When the table asks to grow, the first worker to notice
 * raises the `growing` flag; every worker then pauses at its next insertion, and the coordinator,
 * once all running workers are paused, copies the table into a larger one and hands it out on each
 * job's port before releasing them (`parallel.ts`).
 *
 * Each handle keeps its own cache of the fingerprints it met recently (`RecentFingerprints`), so that
 * most of its lookups of known states stay in its core's cache instead of the shared table.
 */
import { receiveMessageOnPort, type MessagePort } from 'worker_threads';
import type { VisitedStore } from './depthFirst';
import { STORE_FULL } from './fingerprintSet';
import { CONTROL, signalCoordinator, type GrownStore } from './parallelProtocol';
import { RecentFingerprints } from './recentFingerprints';
import { SharedFingerprintSet, STORE_NEEDS_GROWTH } from './sharedFingerprintSet';

/** Entries of each handle's cache of recent fingerprints (192 KiB). */
const RECENT_ENTRIES = 1 << 14;

export class PausingStore implements VisitedStore {
  private full = false;
  private readonly recent = new RecentFingerprints(RECENT_ENTRIES);

  constructor(private store: SharedFingerprintSet, private readonly control: Int32Array, private readonly port: MessagePort) {}

  get size(): number {
    return this.store.size;
  }

  get bytes(): number {
    return this.store.bytes + this.recent.bytes;
  }

  add(h1: number, h2: number): number {
    const known = this.recent.slotOf(h1, h2);
    if (known >= 0) return -(known + 1);
    for (;;) {
      if (this.full) return STORE_FULL;
      // A plain read: the flag is raised rarely, and seeing it one insertion late is harmless.
      if (this.control[CONTROL.growing] !== 0) {
        this.pause();
        continue;
      }
      const slot = this.store.add(h1, h2);
      if (slot !== STORE_NEEDS_GROWTH) {
        this.recent.remember(h1, h2, slot >= 0 ? slot : -(slot + 1));
        return slot;
      }
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
    // The remembered slots are the old table's.
    this.recent.reset(RECENT_ENTRIES);
    if (grown?.store) this.store = new SharedFingerprintSet(grown.store);
    else this.full = true;
  }
}
