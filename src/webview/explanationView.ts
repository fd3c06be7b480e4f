/**
 * The plain-words account of a violation (computed in the core by `explainTrace`, so the CLI prints the
 * same), above the lanes. Each part that belongs to a step is a link that selects it. Once read, it folds
 * to its headline, which gives the lanes and the state their room on a small window.
 */
import type { Explanation } from '../core/trace/explain';
import { button, el } from './dom';

export interface ExplanationCallbacks {
  onSelect(step: number): void;
  /** The reader opened or folded it. */
  onToggle(open: boolean): void;
}

export function renderExplanation(root: HTMLElement, explanation: Explanation | undefined, open: boolean, callbacks: ExplanationCallbacks): void {
  if (!explanation) {
    root.replaceChildren();
    root.hidden = true;
    return;
  }
  root.hidden = false;
  const items = explanation.parts.map((part) => {
    if (part.step === undefined) return el('li', { text: part.text });
    const step = part.step;
    return el(
      'li',
      {},
      button(`Step ${step + 1}`, () => callbacks.onSelect(step), { className: 'link step-link', attributes: { 'data-step': String(step) } }),
      ' ',
      part.text,
    );
  });
  const summary = el('summary', {}, el('h2', { text: 'What happened' }), el('span', { className: 'headline', text: explanation.headline }));
  const disclosure = el('details', {}, summary, el('ol', {}, ...items));
  disclosure.open = open;
  disclosure.addEventListener('toggle', () => callbacks.onToggle(disclosure.open));
  root.replaceChildren(disclosure);
}
