/**
 * What the timeline webview gets for a trace: everything but the states, which it asks for step by step.
 * Pure (no `vscode`), so the panel, the trace-file editor and the tests share it.
 */
import { explainTrace } from '../core/trace/explain';
import { serializeTrace } from '../core/trace/file';
import type { ObjectView, StateView, Trace } from '../core/trace/types';
import type { ObjectRow, StepStates, TimelineData } from '../webview/protocol';

/** The kinds of object that get a row under the thread lanes, in the order the rows appear. */
const ROW_KINDS: readonly ObjectView['kind'][] = ['pte', 'mapping', 'slot', 'cache', 'folio'];

export function timelineData(trace: Trace, options: { restorable: boolean }): TimelineData {
  const data: TimelineData = {
    scenarioId: trace.scenario.id,
    scenarioTitle: trace.scenario.title,
    kernel: trace.kernel,
    verdict: trace.verdict,
    schedule: trace.schedule,
    threads: trace.threads.map((thread) => thread.name),
    steps: trace.steps,
    objectRows: objectRows(trace.states),
    changed: trace.steps.map((_, i) => changedObjects(trace.states[i], trace.states[i + 1])),
  };
  if (trace.violation) data.violation = trace.violation;
  const explanation = explainTrace(trace);
  if (explanation) data.explanation = explanation;
  if (options.restorable) data.restore = restorableTrace(trace);
  return data;
}

export function stepStates(trace: Trace, step: number): StepStates | undefined {
  const before = trace.states[step];
  const after = trace.states[step + 1];
  return before && after ? { step, before, after } : undefined;
}

/** A trace file without the readable steps: replaying its schedule rebuilds the rest. */
function restorableTrace(trace: Trace): string {
  return serializeTrace({ ...trace, threads: [], steps: [] });
}

/** Every object of a row kind that appears in any state (a folio appears once allocated), by kind then id. */
function objectRows(states: readonly StateView[]): ObjectRow[] {
  const rows = new Map<string, ObjectRow>();
  for (const state of states) {
    for (const { id, kind, label } of state.objects) {
      if (ROW_KINDS.includes(kind) && !rows.has(id)) rows.set(id, { id, kind, label });
    }
  }
  const rank = (row: ObjectRow) => ROW_KINDS.indexOf(row.kind);
  return [...rows.values()].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}

function changedObjects(before: StateView | undefined, after: StateView | undefined): string[] {
  if (!before || !after) return [];
  const previous = new Map(before.objects.map((object) => [object.id, object]));
  const changed: string[] = [];
  for (const object of after.objects) {
    const old = previous.get(object.id);
    if (!old || !sameFields(old.fields, object.fields)) changed.push(object.id);
    previous.delete(object.id);
  }
  // Objects that disappeared (a freed folio) changed too.
  changed.push(...previous.keys());
  return changed;
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
