/**
 * The selected step in full: who did what, the kernel function and anchor it stands for, the steps of
 * other threads it conflicts with, and the whole state after it with every field it changed highlighted
 * (and what the field was before).
 */
import type { ObjectView } from '../core/trace/types';
import { button, el } from './dom';
import type { StepStates } from './protocol';
import type { TimelineModel } from './timelineModel';

export interface StepDetailsCallbacks {
  onSelect(step: number): void;
  onOpenSource(step: number): void;
}

const KIND_ORDER: readonly ObjectView['kind'][] = ['thread', 'lock', 'pte', 'mapping', 'slot', 'cache', 'folio', 'device', 'ghost'];

export class StepDetails {
  constructor(
    private readonly root: HTMLElement,
    private readonly callbacks: StepDetailsCallbacks,
  ) {}

  showHint(text: string): void {
    this.root.replaceChildren(el('p', { className: 'hint', text }));
  }

  /** The step's header right away; the state follows when the host answers (see `showStates`). */
  showStep(model: TimelineModel, step: number): void {
    const info = model.data.steps[step];
    const thread = model.data.threads[info.thread] ?? `thread ${info.thread}`;
    const violation = model.data.violation?.step === step ? model.data.violation : undefined;
    const heading = el('h2', { text: `Step ${step + 1} of ${model.data.steps.length} · ${thread} · ${info.stepId}` });
    const anchor = el(
      'p',
      { className: 'anchor' },
      el('span', { className: 'anchor-label', text: 'Kernel source: ' }),
      el('code', { text: `${info.anchor.fn}()` }),
      ' at ',
      el('code', { text: info.anchor.point }),
      ' ',
      button('Open annotated source', () => this.callbacks.onOpenSource(step), { className: 'link', attributes: { 'data-action': 'openSource' } }),
    );
    const parts: HTMLElement[] = [heading, el('p', { className: 'step-what', text: info.label }), anchor];
    if (info.choice !== undefined) parts.push(el('p', { className: 'hint', text: `The allocator had a choice here; this execution took choice ${info.choice}.` }));
    if (violation) parts.push(el('p', { className: 'violation-note', text: `⚠ ${violation.property} fails after this step: ${violation.message}` }));
    parts.push(this.conflicts(model, step));
    parts.push(el('div', { className: 'state', attributes: { id: 'state-objects' } }, el('p', { className: 'hint', text: 'Loading the state…' })));
    this.root.replaceChildren(...parts);
  }

  showStates(states: StepStates): void {
    const container = this.root.querySelector('#state-objects');
    if (!container) return;
    const before = new Map(states.before.objects.map((object) => [object.id, object]));
    const after = [...states.after.objects].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    const rows = after.map((object) => this.objectRow(object, before.get(object.id)));
    const afterIds = new Set(after.map((object) => object.id));
    for (const gone of states.before.objects.filter((object) => !afterIds.has(object.id))) {
      rows.push(el('tr', { className: 'object removed' }, el('th', { text: gone.label }), el('td', { text: 'gone after this step' })));
    }
    const table = el(
      'table',
      { className: 'objects' },
      el('caption', { text: `State after step ${states.step + 1} (changed fields highlighted)` }),
      el('tbody', {}, ...rows),
    );
    container.replaceChildren(table);
  }

  showStateError(message: string): void {
    this.root.querySelector('#state-objects')?.replaceChildren(el('p', { className: 'error', text: `Could not load the state: ${message}` }));
  }

  private conflicts(model: TimelineModel, step: number): HTMLElement {
    const conflicts = model.conflicts[step];
    if (conflicts.length === 0) return el('p', { className: 'hint', text: 'No conflicting step of another thread on the objects this step touches.' });
    const label = (id: string) => model.data.objectRows[model.rowIndex.get(id) ?? -1]?.label ?? id;
    const shown = conflicts.slice(0, 12);
    const items = shown.map((conflict) => {
      const other = model.data.steps[conflict.step];
      const thread = model.data.threads[other.thread] ?? `thread ${other.thread}`;
      const verb = conflict.access === 'write' ? 'writes' : 'reads';
      return el(
        'li',
        {},
        button(`step ${conflict.step + 1}`, () => this.callbacks.onSelect(conflict.step), { className: 'link' }),
        ` (${thread}) ${verb} ${label(conflict.object)}`,
      );
    });
    if (conflicts.length > shown.length) items.push(el('li', { className: 'hint', text: `and ${conflicts.length - shown.length} more` }));
    return el('div', { className: 'conflicts' }, el('h3', { text: 'Conflicts with other threads' }), el('ul', {}, ...items));
  }

  private objectRow(object: ObjectView, before: ObjectView | undefined): HTMLElement {
    const fields = Object.entries(object.fields).map(([key, value]) => {
      const old = before?.fields[key];
      const changed = before !== undefined && old !== value;
      return el(
        'span',
        { className: changed ? 'field changed' : 'field', title: changed ? `${key} was ${old ?? '(absent)'}` : undefined },
        el('span', { className: 'field-key', text: key }),
        ' = ',
        el('span', { className: 'field-value', text: value }),
      );
    });
    const isNew = before === undefined;
    return el(
      'tr',
      { className: `object kind-${object.kind}${isNew ? ' added' : ''}` },
      el('th', { text: object.label, title: isNew ? `${object.id} (new after this step)` : object.id }),
      el('td', {}, ...fields),
    );
  }
}
