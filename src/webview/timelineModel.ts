/**
 * What the lanes draw, derived once per trace from the data the host sent: which row objects each step
 * reads and writes (an allocator's scan past an object, `TraceStep.scans`, is neither), and the conflicts
 * between steps of different threads on one object (a write and any other access, with no access of the
 * same object by a third step in between that orders them). Pure.
 */
import type { TimelineData } from './protocol';

export type Access = 'read' | 'write';

export interface Conflict {
  /** The other step. */
  step: number;
  object: string;
  /** What the other step did to the object. */
  access: Access;
}

export interface TimelineModel {
  data: TimelineData;
  rowIndex: Map<string, number>;
  /** Per step: row object id -> what the step did to it. */
  touches: Map<string, Access>[];
  /** Per step: the steps of other threads it conflicts with, earlier and later. */
  conflicts: Conflict[][];
}

export function buildModel(data: TimelineData): TimelineModel {
  const rowIndex = new Map(data.objectRows.map((row, i) => [row.id, i]));
  const touches = data.steps.map((step, i) => {
    const touched = new Map<string, Access>();
    // An allocator's scan past an object (`TraceStep.scans`) is no use of it: no mark, no conflict.
    const scanned = new Set(step.scans ?? []);
    for (const id of step.reads) if (rowIndex.has(id) && !scanned.has(id)) touched.set(id, 'read');
    for (const id of [...step.writes, ...(data.changed[i] ?? [])]) if (rowIndex.has(id)) touched.set(id, 'write');
    return touched;
  });
  return { data, rowIndex, touches, conflicts: findConflicts(data, touches) };
}

function findConflicts(data: TimelineData, touches: Map<string, Access>[]): Conflict[][] {
  const conflicts: Conflict[][] = data.steps.map(() => []);
  // Per object: the last write, and the reads since it, at most one per thread (the latest).
  const lastWrite = new Map<string, number>();
  const readsSinceWrite = new Map<string, Map<number, number>>();
  const link = (earlier: number, later: number, object: string, earlierAccess: Access, laterAccess: Access) => {
    conflicts[later].push({ step: earlier, object, access: earlierAccess });
    conflicts[earlier].push({ step: later, object, access: laterAccess });
  };
  touches.forEach((touched, i) => {
    const thread = data.steps[i].thread;
    for (const [object, access] of touched) {
      const written = lastWrite.get(object);
      if (written !== undefined && data.steps[written].thread !== thread) link(written, i, object, 'write', access);
      const reads = readsSinceWrite.get(object) ?? new Map<number, number>();
      if (access === 'write') {
        for (const [readerThread, read] of reads) if (readerThread !== thread) link(read, i, object, 'read', 'write');
        lastWrite.set(object, i);
        readsSinceWrite.set(object, new Map());
      } else {
        reads.set(thread, i);
        readsSinceWrite.set(object, reads);
      }
    }
  });
  for (const list of conflicts) list.sort((a, b) => a.step - b.step);
  return conflicts;
}

/** A filter value: all steps, the steps of one thread (`thread:<index>`), or those touching an object (`object:<id>`). */
export function visibleSteps(model: TimelineModel, threadFilter: string, objectFilter: string): number[] {
  const thread = threadFilter.startsWith('thread:') ? Number(threadFilter.slice('thread:'.length)) : undefined;
  const object = objectFilter.startsWith('object:') ? objectFilter.slice('object:'.length) : undefined;
  const visible: number[] = [];
  model.data.steps.forEach((step, i) => {
    if (thread !== undefined && step.thread !== thread) return;
    if (object !== undefined && !model.touches[i].has(object)) return;
    visible.push(i);
  });
  return visible;
}
