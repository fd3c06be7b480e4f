/**
 * The timeline webview: one lane per thread, steps in global order, the violating step marked,
 * and the state after the selected step. A trace may come from someone else's file, so every
 * string from it goes into the DOM as text (textContent / createTextNode), never as markup.
 */
import type { ObjectView, Trace } from '../core/trace/types';
import { isHostToWebview, type WebviewToHost } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

const vscode = acquireVsCodeApi();
const byId = (id: string): HTMLElement => document.getElementById(id)!;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

let current: Trace | undefined;

function renderHeader(trace: Trace): void {
  byId('title').textContent = `${trace.scenario.id} on ${trace.kernel}`;
  const verdict = byId('verdict');
  verdict.className = `verdict ${trace.verdict}`;
  verdict.textContent = trace.violation
    ? `${trace.verdict}: ${trace.violation.property}: ${trace.violation.message}`
    : trace.verdict;
  byId('schedule').textContent = `schedule ${trace.schedule}`;
}

function renderTimeline(trace: Trace): void {
  const grid = byId('timeline');
  grid.replaceChildren();
  trace.threads.forEach((thread, lane) => {
    const name = element('div', 'lane-name', thread.name);
    name.style.gridRow = String(lane + 2);
    grid.append(name);
  });
  trace.steps.forEach((step, index) => {
    const number = element('div', 'step-number', String(index + 1));
    number.style.gridColumn = String(index + 2);
    const cell = element('button', 'step');
    cell.type = 'button';
    cell.dataset.index = String(index);
    cell.title = step.label;
    cell.style.gridColumn = String(index + 2);
    cell.style.gridRow = String(step.thread + 2);
    cell.append(element('span', 'step-id', step.stepId), element('span', 'step-label', step.label));
    if (trace.violation?.step === index) cell.classList.add('violating');
    cell.addEventListener('click', () => selectStep(index));
    grid.append(number, cell);
  });
}

function renderObject(object: ObjectView): HTMLElement {
  const row = element('div', `object kind-${object.kind}`);
  const fields = element('span', 'fields');
  for (const [key, value] of Object.entries(object.fields)) {
    const field = element('span', 'field');
    field.append(element('span', 'field-key', key), document.createTextNode(' = '), element('span', 'field-value', String(value)));
    fields.append(field);
  }
  row.append(element('span', 'object-label', object.label), fields);
  return row;
}

function selectStep(index: number): void {
  if (!current) return;
  const step = current.steps[index];
  const state = current.states[index + 1];
  if (!step || !state) return;
  for (const cell of document.querySelectorAll<HTMLElement>('.step')) {
    const selected = cell.dataset.index === String(index);
    cell.classList.toggle('selected', selected);
    if (selected) cell.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
  const panel = byId('state');
  const thread = current.threads[step.thread]?.name ?? `thread ${step.thread}`;
  panel.replaceChildren(
    element('h2', undefined, `After step ${index + 1} (${thread}): ${step.label}`),
    ...state.objects.map(renderObject),
  );
  vscode.postMessage({ type: 'selectStep', index });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToWebview(event.data)) return;
  current = event.data.trace;
  renderHeader(current);
  renderTimeline(current);
  byId('state').replaceChildren(element('p', 'hint', 'Select a step to see the state after it.'));
  const violating = current.violation?.step ?? -1;
  if (violating >= 0) selectStep(violating);
});

vscode.postMessage({ type: 'ready' });
