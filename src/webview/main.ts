/**
 * The timeline webview: wires the host channel to the header, the explanation, the lanes and the step
 * details, and owns the view state (selection, filters, zoom) that `setState` keeps across reloads.
 * A trace may come from someone else's file: every string from it reaches the DOM as text (see dom.ts).
 */
import { byId, el } from './dom';
import { renderErrors } from './errorsView';
import { renderExplanation } from './explanationView';
import { HostChannel } from './hostChannel';
import { Lanes, ZOOM_LEVELS } from './lanes';
import { PinnedLanes } from './pinnedLanes';
import { isHostToWebview, PROTOCOL_VERSION, TIMELINE_ACTIONS, type StepStates, type TimelineAction, type TimelineData } from './protocol';
import { StepDetails } from './stepDetails';
import { buildModel, visibleSteps, type TimelineModel } from './timelineModel';

const ALL = 'all';
const STATE_CACHE_SIZE = 256;
const SCHEDULE_SHOWN = 160;
/** How much of the state table a selection brings on screen: its caption and the threads' rows. */
const STATE_REVEALED_PX = 120;

const channel = new HostChannel();
const lanes = new Lanes(byId('lanes'), { onSelect: (step) => void select(step) });
const pinnedLanes = new PinnedLanes(byId('lane-pane'));
const details = new StepDetails(byId('details'), {
  onSelect: (step) => void select(step),
  onOpenSource: (step) => channel.post({ type: 'action', action: 'openSource', step }),
});

let model: TimelineModel | undefined;
let traceKey: string | undefined;
let restore: string | undefined;
let columns: number[] = [];
let selected: number | undefined;
let threadFilter = ALL;
let objectFilter = ALL;
let explanationOpen = true;
const stateCache = new Map<number, StepStates>();

function showOnly(id: 'busy' | 'errors' | 'view'): void {
  for (const section of ['busy', 'errors', 'view']) byId(section).hidden = section !== id;
}

function persist(): void {
  channel.saveState({
    protocol: PROTOCOL_VERSION,
    ...(traceKey ? { traceKey } : {}),
    ...(restore ? { restore } : {}),
    ...(selected !== undefined ? { selected } : {}),
    zoom: lanes.zoomLevel,
    threadFilter,
    objectFilter,
    explanationOpen,
  });
}

function load(data: TimelineData, requested: number | undefined): void {
  model = buildModel(data);
  const key = `${data.kernel}|${data.scenarioId}|${data.schedule}`;
  const saved = channel.savedState();
  const same = saved?.traceKey === key;
  traceKey = key;
  restore = data.restore;
  selected = undefined;
  stateCache.clear();
  threadFilter = same ? (saved?.threadFilter ?? ALL) : ALL;
  objectFilter = same ? (saved?.objectFilter ?? ALL) : ALL;
  explanationOpen = same ? (saved?.explanationOpen ?? true) : true;
  renderHeader(data);
  renderExplanation(byId('explanation'), data.explanation, explanationOpen, {
    // The reader is in the middle of the list: the page stays where it is.
    onSelect: (step) => void select(step, { reveal: false }),
    onToggle: (open) => {
      explanationOpen = open;
      persist();
    },
  });
  renderFilters(data);
  columns = visibleSteps(model, threadFilter, objectFilter);
  lanes.setModel(model, columns);
  setZoom(same ? (saved?.zoom ?? lanes.defaultZoom) : lanes.defaultZoom);
  showOnly('view');
  const violating = data.violation && data.violation.step >= 0 ? data.violation.step : undefined;
  const initial = requested ?? (same ? saved?.selected : undefined) ?? violating ?? 0;
  if (data.steps.length === 0) {
    details.showHint('This trace has no steps: the initial state is all there is.');
    lanes.setSelection(undefined, new Set());
    persist();
  } else {
    // A trace opens at the top of the page: its title and what happened come first.
    void select(Math.min(initial, data.steps.length - 1), { reveal: false });
  }
}

function renderHeader(data: TimelineData): void {
  byId('title').textContent = `${data.scenarioId} on ${data.kernel}`;
  byId('title').title = data.scenarioTitle;
  const verdict = byId('verdict');
  verdict.className = `verdict ${data.verdict}`;
  verdict.textContent = data.violation ? `violation: ${data.violation.property}` : data.verdict;
  verdict.title = data.violation ? data.violation.message : '';
  // A 10,000-step schedule is 20,000 characters: show its start; Copy Schedule copies all of it.
  const schedule = data.schedule.length > SCHEDULE_SHOWN ? `${data.schedule.slice(0, SCHEDULE_SHOWN)}…` : data.schedule || '(empty)';
  const note = data.schedule.length > SCHEDULE_SHOWN ? ` (${data.steps.length} steps; Copy Schedule copies all of it)` : '';
  byId('schedule').replaceChildren('schedule ', el('code', { text: schedule }), note);
}

function renderFilters(data: TimelineData): void {
  const threads = byId<HTMLSelectElement>('thread-filter');
  threads.replaceChildren(
    el('option', { text: 'All threads', attributes: { value: ALL } }),
    ...data.threads.map((name, i) => el('option', { text: name, attributes: { value: `thread:${i}` } })),
  );
  threads.value = threadFilter;
  if (threads.value !== threadFilter) threadFilter = threads.value = ALL;
  const objects = byId<HTMLSelectElement>('object-filter');
  objects.replaceChildren(
    el('option', { text: 'All objects', attributes: { value: ALL } }),
    ...data.objectRows.map((row) => el('option', { text: row.label, attributes: { value: `object:${row.id}` } })),
  );
  objects.value = objectFilter;
  if (objects.value !== objectFilter) objectFilter = objects.value = ALL;
}

function applyFilters(): void {
  if (!model) return;
  threadFilter = byId<HTMLSelectElement>('thread-filter').value;
  objectFilter = byId<HTMLSelectElement>('object-filter').value;
  columns = visibleSteps(model, threadFilter, objectFilter);
  lanes.setColumns(columns);
  lanes.setSelection(selected, relatedSteps(selected));
  updatePosition();
  persist();
}

function relatedSteps(step: number | undefined): Set<number> {
  return new Set(step !== undefined && model ? model.conflicts[step].map((conflict) => conflict.step) : []);
}

function updatePosition(): void {
  if (!model) return;
  const total = model.data.steps.length;
  const filtered = columns.length < total ? ` · ${columns.length} shown` : '';
  byId('position').textContent = selected !== undefined ? `Step ${selected + 1} of ${total}${filtered}` : `${total} steps${filtered}`;
}

/** Selects a step; unless told otherwise, scrolls the page down to the state after it if that is below the fold. */
async function select(step: number, { reveal = true } = {}): Promise<void> {
  if (!model || !Number.isInteger(step) || step < 0 || step >= model.data.steps.length) return;
  selected = step;
  lanes.setSelection(step, relatedSteps(step));
  details.showStep(model, step);
  updatePosition();
  channel.post({ type: 'selected', step });
  persist();
  try {
    const states = stateCache.get(step) ?? (await channel.request('stepStates', { step }));
    remember(states);
    if (selected === step) {
      details.showStates(states);
      if (reveal) pinnedLanes.reveal(byId('state-objects'), STATE_REVEALED_PX);
    }
  } catch (error) {
    if (selected === step) details.showStateError(error instanceof Error ? error.message : String(error));
  }
}

function remember(states: StepStates): void {
  stateCache.delete(states.step);
  stateCache.set(states.step, states);
  if (stateCache.size > STATE_CACHE_SIZE) stateCache.delete(stateCache.keys().next().value!);
}

/** Moves the selection through the visible (filtered) steps. */
function move(to: 'previous' | 'next' | 'first' | 'last'): void {
  if (columns.length === 0) return;
  if (to === 'first') return void select(columns[0]);
  if (to === 'last') return void select(columns[columns.length - 1]);
  const current = selected ?? -1;
  // The first visible step after (or before) the selection, which may itself be filtered out.
  const next = to === 'next' ? columns.find((step) => step > current) : [...columns].reverse().find((step) => step < current);
  if (next !== undefined) void select(next);
}

function setZoom(level: number): void {
  lanes.setZoom(level);
  byId<HTMLButtonElement>('zoom-in').disabled = lanes.zoomLevel === ZOOM_LEVELS.length - 1;
  byId<HTMLButtonElement>('zoom-out').disabled = lanes.zoomLevel === 0;
}

function zoom(by: number | 'reset'): void {
  setZoom(by === 'reset' ? lanes.defaultZoom : lanes.zoomLevel + by);
  persist();
}

const KEYS: Record<string, () => void> = {
  ArrowLeft: () => move('previous'),
  ArrowRight: () => move('next'),
  Home: () => move('first'),
  End: () => move('last'),
  '+': () => zoom(1),
  '=': () => zoom(1),
  '-': () => zoom(-1),
  '0': () => zoom('reset'),
  t: () => byId('thread-filter').focus(),
  o: () => byId('object-filter').focus(),
  s: () => selected !== undefined && channel.post({ type: 'action', action: 'openSource', step: selected }),
};

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (['SELECT', 'INPUT', 'TEXTAREA'].includes(target.tagName) || event.ctrlKey || event.metaKey || event.altKey) return;
  const handler = KEYS[event.key];
  if (!handler || byId('view').hidden) return;
  event.preventDefault();
  handler();
});

byId('thread-filter').addEventListener('change', applyFilters);
byId('object-filter').addEventListener('change', applyFilters);
byId('zoom-in').addEventListener('click', () => zoom(1));
byId('zoom-out').addEventListener('click', () => zoom(-1));
for (const action of document.querySelectorAll<HTMLButtonElement>('.toolbar [data-action]')) {
  const name = action.dataset.action as TimelineAction;
  if (TIMELINE_ACTIONS.includes(name)) action.addEventListener('click', () => channel.post({ type: 'action', action: name }));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostToWebview(message)) return;
  switch (message.type) {
    case 'load':
      load(message.data, message.select);
      break;
    case 'errors':
      renderErrors(byId('errors'), message.file, message.errors, (line, column) => channel.post({ type: 'openPosition', line, column }));
      showOnly('errors');
      break;
    case 'busy':
      byId('busy').textContent = message.message;
      showOnly('busy');
      break;
    case 'select':
      void select(message.step);
      break;
    case 'reply':
      channel.settle(message);
      break;
  }
});

channel.post({ type: 'ready', protocol: PROTOCOL_VERSION });
