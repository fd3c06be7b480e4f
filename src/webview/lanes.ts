/**
 * The swimlanes: a lane per thread and a row per object, one column per (visible) step in global order.
 * Virtualised: only the columns inside the viewport (plus a margin) exist in the DOM, so a 10,000-step
 * trace costs the same to scroll as a 20-step one. Positions are set through the CSSOM (element.style),
 * which the strict CSP allows, unlike style attributes in markup.
 */
import { el } from './dom';
import { linesNeeded, NAME_LINES, nameParts, shortStepName } from './stepNames';
import type { TimelineModel } from './timelineModel';

/** Column widths in pixels, smallest first; the labels that fit appear as the columns widen. */
export const ZOOM_LEVELS = [10, 18, 30, 56, 92, 124, 160] as const;
/** The column widths from which the boxes show access letters and the violation badge, step names, step labels. */
const MARKS_FROM = 30;
const NAMES_FROM = 56;
const LABELS_FROM = 160;
/** Pixels between neighbouring step boxes. */
const STEP_GAP = 2;
const HEADER_HEIGHT = 22;
/** Room for a step name on two lines (see stepNames.ts) in a box 3 px inside the lane. */
const LANE_HEIGHT = 42;
const OBJECT_ROW_HEIGHT = 20;
/** Columns rendered beyond each edge of the viewport, so a short scroll shows no gap. */
const OVERSCAN = 8;

export interface LaneCallbacks {
  onSelect(step: number): void;
}

export class Lanes {
  private model: TimelineModel | undefined;
  private columns: number[] = [];
  private columnOfStep = new Map<number, number>();
  private zoom = 0;
  private namesFitZoom = 0;
  private selected: number | undefined;
  private related = new Set<number>();
  private renderQueued = false;
  /** Scroll the selection into view at the next render, once the layout is known. */
  private revealPending = false;
  /** The viewport's width at the last resize: a selection in view then stays in view when it changes. */
  private viewportWidth = 0;
  private readonly labels = el('div', { className: 'lane-labels' });
  private readonly viewport = el('div', { className: 'lane-viewport' });
  private readonly canvas = el('div', { className: 'lane-canvas' });

  constructor(
    readonly root: HTMLElement,
    private readonly callbacks: LaneCallbacks,
  ) {
    this.viewport.append(this.canvas);
    root.replaceChildren(this.labels, this.viewport);
    this.viewport.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    new ResizeObserver(() => this.onResize()).observe(this.viewport);
    // One listener for every cell, present or future: cells carry their step in a data attribute.
    this.canvas.addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-step]');
      if (cell) this.callbacks.onSelect(Number(cell.dataset.step));
    });
  }

  setModel(model: TimelineModel, columns: number[]): void {
    this.model = model;
    this.namesFitZoom = this.narrowestZoomShowingNames();
    this.renderLabels();
    this.setColumns(columns);
  }

  setColumns(columns: number[]): void {
    this.columns = columns;
    this.columnOfStep = new Map(columns.map((step, column) => [step, column]));
    this.canvas.style.width = `${columns.length * this.columnWidth}px`;
    this.scheduleRender();
  }

  get zoomLevel(): number {
    return this.zoom;
  }

  /** A trace opens at the narrowest zoom at which every step name of it shows whole, or the widest. */
  get defaultZoom(): number {
    return this.namesFitZoom;
  }

  setZoom(level: number): void {
    const clamped = Math.max(0, Math.min(ZOOM_LEVELS.length - 1, Math.round(level)));
    if (clamped === this.zoom) return;
    // Keep the selected step (or the left edge) where it is on screen while the columns change width.
    const anchor = this.selected !== undefined ? this.columnOfStep.get(this.selected) : undefined;
    const oldWidth = this.columnWidth;
    const anchorOffset = anchor !== undefined ? anchor * oldWidth - this.viewport.scrollLeft : 0;
    const leftColumn = this.viewport.scrollLeft / oldWidth;
    this.zoom = clamped;
    this.canvas.style.width = `${this.columns.length * this.columnWidth}px`;
    this.viewport.scrollLeft = anchor !== undefined ? anchor * this.columnWidth - anchorOffset : leftColumn * this.columnWidth;
    this.scheduleRender();
  }

  setSelection(step: number | undefined, related: Set<number>): void {
    this.selected = step;
    this.related = related;
    this.revealPending = true;
    this.scheduleRender();
  }

  /** An editor opened beside the panel narrows it: the selected step, if it was in view, must stay so. */
  private onResize(): void {
    const column = this.selected !== undefined ? this.columnOfStep.get(this.selected) : undefined;
    const left = column !== undefined ? column * this.columnWidth - this.viewport.scrollLeft : -1;
    if (left >= 0 && left + this.columnWidth <= this.viewportWidth) this.revealPending = true;
    this.viewportWidth = this.viewport.clientWidth;
    this.scheduleRender();
  }

  private get columnWidth(): number {
    return ZOOM_LEVELS[this.zoom];
  }

  /**
   * Measures the trace's step names in their own font against the text room of a violating step's box (the
   * widest border and padding) at each zoom that shows names. Computed styles need no layout, so this works
   * while the view is still hidden.
   */
  private narrowestZoomShowingNames(): number {
    const name = el('span', { className: 'step-name' });
    const box = el('div', { className: 'step violating' }, name);
    this.canvas.append(box);
    const boxStyle = getComputedStyle(box);
    const chrome = ['border-left-width', 'border-right-width', 'padding-left', 'padding-right'].reduce(
      (sum, property) => sum + parseFloat(boxStyle.getPropertyValue(property)),
      STEP_GAP,
    );
    const text = document.createElement('canvas').getContext('2d')!;
    text.font = getComputedStyle(name).font;
    box.remove();
    const names = new Set(this.model!.data.steps.map((step) => shortStepName(step.stepId)));
    const partWidths = [...names].map((stepName) => nameParts(stepName).map((part) => text.measureText(part).width));
    // A pixel to spare: the browser's line breaking rounds differently from the sum of measured parts.
    const fits = (width: number) => partWidths.every((widths) => linesNeeded(widths, width - chrome - 1) <= NAME_LINES);
    const level = ZOOM_LEVELS.findIndex((width) => width >= NAMES_FROM && fits(width));
    return level >= 0 ? level : ZOOM_LEVELS.length - 1;
  }

  private revealSelection(): void {
    const column = this.selected !== undefined ? this.columnOfStep.get(this.selected) : undefined;
    if (column === undefined) return;
    const left = column * this.columnWidth;
    const { scrollLeft, clientWidth } = this.viewport;
    if (left < scrollLeft) this.viewport.scrollLeft = Math.max(0, left - this.columnWidth * 2);
    else if (left + this.columnWidth > scrollLeft + clientWidth) this.viewport.scrollLeft = left + this.columnWidth * 3 - clientWidth;
  }

  private scheduleRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private rowTop(row: number): number {
    const threads = this.model?.data.threads.length ?? 0;
    return row < threads ? HEADER_HEIGHT + row * LANE_HEIGHT : HEADER_HEIGHT + threads * LANE_HEIGHT + (row - threads) * OBJECT_ROW_HEIGHT;
  }

  private renderLabels(): void {
    const data = this.model!.data;
    const labels = [el('div', { className: 'lane-label header', text: 'step' })];
    data.threads.forEach((name, thread) => {
      const label = el('div', { className: `lane-label thread thread-${thread % 6}`, text: name, title: name });
      label.style.height = `${LANE_HEIGHT}px`;
      labels.push(label);
    });
    for (const row of data.objectRows) {
      const label = el('div', { className: `lane-label object kind-${row.kind}`, text: row.label, title: `${row.label} (${row.id})` });
      label.style.height = `${OBJECT_ROW_HEIGHT}px`;
      labels.push(label);
    }
    this.labels.replaceChildren(...labels);
    const height = this.rowTop(data.threads.length + data.objectRows.length);
    this.canvas.style.height = `${height}px`;
  }

  private render(): void {
    const model = this.model;
    if (!model) return;
    const width = this.columnWidth;
    this.canvas.style.width = `${this.columns.length * width}px`;
    if (this.revealPending) {
      this.revealPending = false;
      this.revealSelection();
    }
    const first = Math.max(0, Math.floor(this.viewport.scrollLeft / width) - OVERSCAN);
    const last = Math.min(this.columns.length - 1, Math.ceil((this.viewport.scrollLeft + this.viewport.clientWidth) / width) + OVERSCAN);
    const cells: HTMLElement[] = [];
    const { data } = model;
    const objectRowsStart = data.threads.length;
    const numberEvery = width >= MARKS_FROM ? 1 : width >= 18 ? 5 : 10;
    for (let column = first; column <= last; column++) {
      const step = this.columns[column];
      const info = data.steps[step];
      const left = column * width;
      const isViolation = data.violation?.step === step;
      const isSelected = this.selected === step;
      if ((step + 1) % numberEvery === 0 || numberEvery === 1 || isSelected) {
        cells.push(this.place(el('div', { className: 'column-number', text: String(step + 1) }), left, 0, width, HEADER_HEIGHT));
      }
      if (isSelected || isViolation) {
        const marker = el('div', { className: isSelected ? 'column-marker selected' : 'column-marker violation' });
        cells.push(this.place(marker, left, HEADER_HEIGHT, width, this.rowTop(data.threads.length + data.objectRows.length) - HEADER_HEIGHT));
      }
      const threadName = data.threads[info.thread] ?? `thread ${info.thread}`;
      const classes = ['step', `thread-${info.thread % 6}`];
      if (isViolation) classes.push('violating');
      if (isSelected) classes.push('selected');
      if (this.related.has(step)) classes.push('related');
      const cell = el('div', {
        className: classes.join(' '),
        title: `Step ${step + 1} · ${threadName} · ${info.stepId}: ${info.label}${isViolation ? ` — ${data.violation!.property} fails here` : ''}`,
        attributes: { 'data-step': String(step), role: 'button', 'aria-label': `step ${step + 1}, ${threadName}, ${info.stepId}` },
      });
      if (width >= NAMES_FROM) cell.append(stepNameElement(info.stepId));
      if (width >= LABELS_FROM) cell.append(el('span', { className: 'step-label', text: info.label }));
      if (isViolation && width >= MARKS_FROM) cell.prepend(el('span', { className: 'violation-badge', text: '!', attributes: { 'aria-hidden': 'true' } }));
      cells.push(this.place(cell, left + STEP_GAP / 2, this.rowTop(info.thread) + 3, width - STEP_GAP, LANE_HEIGHT - 6));
      const conflictsHere = new Set(model.conflicts[step].map((conflict) => conflict.object));
      for (const [object, access] of model.touches[step]) {
        const row = model.rowIndex.get(object)!;
        const conflict = conflictsHere.has(object);
        const rowLabel = data.objectRows[row].label;
        const mark = el('div', {
          className: `touch ${access}${conflict ? ' conflict' : ''}${isSelected ? ' selected' : ''}`,
          text: width >= MARKS_FROM ? (access === 'write' ? 'W' : 'R') : '',
          title: `Step ${step + 1} (${threadName}) ${access === 'write' ? 'wrote' : 'read'} ${rowLabel}${conflict ? ': conflicts with another thread' : ''}`,
          attributes: { 'data-step': String(step) },
        });
        cells.push(this.place(mark, left + 2, this.rowTop(objectRowsStart + row) + 2, width - 4, OBJECT_ROW_HEIGHT - 4));
      }
    }
    this.canvas.replaceChildren(...cells);
  }

  private place(element: HTMLElement, left: number, top: number, width: number, height: number): HTMLElement {
    element.style.left = `${left}px`;
    element.style.top = `${top}px`;
    element.style.width = `${Math.max(1, width)}px`;
    element.style.height = `${height}px`;
    return element;
  }
}

/** The step's short name, with a <wbr> after each underscore: the only places where it may wrap. */
function stepNameElement(stepId: string): HTMLElement {
  const parts = nameParts(shortStepName(stepId)).flatMap((part) => [part, el('wbr')]);
  return el('span', { className: 'step-name' }, ...parts.slice(0, -1));
}
