/**
 * The one message protocol between a timeline host (the panel or the trace-file editor) and the timeline
 * webview. Shared by both bundles, so it holds no DOM and no `vscode`.
 *
 * - Handshake: the webview posts `ready` (with its protocol version) once its script runs, and again after
 *   every reload; the host sends nothing before that, so no message is lost.
 * - The host sends a trace once (`load`): its steps and the per-step facts the lanes need, never the states.
 *   The webview asks for the state around a step with a `request` that carries an id; the host answers with
 *   a `reply` carrying the same id. That keeps a 10,000-step trace a few megabytes instead of tens.
 * - Everything from the webview is checked by the guards below before the host acts on it.
 */
import type { Explanation } from '../core/trace/explain';
import type { ObjectView, StateView, TraceStep, TraceViolation, VerdictKind } from '../core/trace/types';
import type { ScenarioError as TraceFileError } from '../core/scenario/types';

export const PROTOCOL_VERSION = 2;

/** An object that gets a row under the thread lanes. */
export interface ObjectRow {
  id: string;
  kind: ObjectView['kind'];
  label: string;
}

/** What the webview needs to draw a trace; sent once per trace. */
export interface TimelineData {
  scenarioId: string;
  scenarioTitle: string;
  kernel: string;
  verdict: VerdictKind;
  schedule: string;
  threads: string[];
  steps: TraceStep[];
  violation?: TraceViolation;
  explanation?: Explanation;
  objectRows: ObjectRow[];
  /** Per step: the ids of the objects whose fields differ before and after it. */
  changed: string[][];
  /**
   * A minimal trace file (scenario, kernel, schedule, verdict) that the panel keeps in its webview state, so
   * that after a window reload the host can rebuild the trace by replaying it. Absent for trace-file editors,
   * whose file is the source.
   */
  restore?: string;
}

/** The state before and after one step. */
export interface StepStates {
  step: number;
  before: StateView;
  after: StateView;
}

/** Requests the webview makes, by method: their parameters and results. */
export interface Requests {
  stepStates: { params: { step: number }; result: StepStates };
}
export type RequestMethod = keyof Requests;

export type HostToWebview =
  | { type: 'load'; protocol: typeof PROTOCOL_VERSION; data: TimelineData; select?: number }
  | { type: 'errors'; protocol: typeof PROTOCOL_VERSION; file: string; errors: TraceFileError[] }
  | { type: 'busy'; protocol: typeof PROTOCOL_VERSION; message: string }
  | { type: 'select'; step: number }
  | { type: 'reply'; requestId: number; ok: true; result: Requests[RequestMethod]['result'] }
  | { type: 'reply'; requestId: number; ok: false; error: string };

/** Things the user asks for from the webview that only the host can do. */
export const TIMELINE_ACTIONS = ['saveTrace', 'copySchedule', 'copyMarkdown', 'copyInterleaving', 'saveSvg', 'openSource'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export type WebviewToHost =
  | { type: 'ready'; protocol: number }
  | { type: 'request'; requestId: number; method: 'stepStates'; params: Requests['stepStates']['params'] }
  | { type: 'selected'; step: number }
  | { type: 'action'; action: TimelineAction; step?: number }
  | { type: 'openPosition'; line: number; column: number };

/** What the webview keeps with `setState`: enough to put the view back as it was. */
export interface PersistedViewState {
  protocol: typeof PROTOCOL_VERSION;
  /** Which trace the rest belongs to (kernel, scenario and schedule), so a new trace starts fresh. */
  traceKey?: string;
  restore?: string;
  selected?: number;
  zoom?: number;
  threadFilter?: string;
  objectFilter?: string;
  /** Whether "What happened" is open; the reader may fold it once read. */
  explanationOpen?: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isIndex = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isPosition = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1;

export function isWebviewToHost(message: unknown): message is WebviewToHost {
  if (!isObject(message)) return false;
  switch (message.type) {
    case 'ready':
      return typeof message.protocol === 'number';
    case 'request':
      return isIndex(message.requestId) && message.method === 'stepStates' && isObject(message.params) && isIndex(message.params.step);
    case 'selected':
      return isIndex(message.step);
    case 'action':
      return (TIMELINE_ACTIONS as readonly unknown[]).includes(message.action) && (message.step === undefined || isIndex(message.step));
    case 'openPosition':
      return isPosition(message.line) && isPosition(message.column);
    default:
      return false;
  }
}

export function isHostToWebview(message: unknown): message is HostToWebview {
  if (!isObject(message)) return false;
  switch (message.type) {
    case 'load':
      return message.protocol === PROTOCOL_VERSION && isObject(message.data);
    case 'errors':
      return message.protocol === PROTOCOL_VERSION && Array.isArray(message.errors);
    case 'busy':
      return message.protocol === PROTOCOL_VERSION && typeof message.message === 'string';
    case 'select':
      return isIndex(message.step);
    case 'reply':
      return isIndex(message.requestId) && typeof message.ok === 'boolean';
    default:
      return false;
  }
}

/** The persisted state, if `value` is one this version wrote; anything else is dropped. */
export function asPersistedViewState(value: unknown): PersistedViewState | undefined {
  if (!isObject(value) || value.protocol !== PROTOCOL_VERSION) return undefined;
  const state: PersistedViewState = { protocol: PROTOCOL_VERSION };
  if (typeof value.traceKey === 'string') state.traceKey = value.traceKey;
  if (typeof value.restore === 'string') state.restore = value.restore;
  if (isIndex(value.selected)) state.selected = value.selected;
  if (typeof value.zoom === 'number' && Number.isFinite(value.zoom)) state.zoom = value.zoom;
  if (typeof value.threadFilter === 'string') state.threadFilter = value.threadFilter;
  if (typeof value.objectFilter === 'string') state.objectFilter = value.objectFilter;
  if (typeof value.explanationOpen === 'boolean') state.explanationOpen = value.explanationOpen;
  return state;
}
