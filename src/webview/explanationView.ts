/**
 * The plain-words account of a violation (computed in the core by `explainTrace`, so the CLI prints the
 * same), above the lanes. Each part that belongs to a step is a link that selects it.
 */
import type { Explanation } from '../core/trace/explain';
import { button, el } from './dom';

export function renderExplanation(root: HTMLElement, explanation: Explanation | undefined, onSelect: (step: number) => void): void {
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
      button(`Step ${step + 1}`, () => onSelect(step), { className: 'link step-link', attributes: { 'data-step': String(step) } }),
      ' ',
      part.text,
    );
  });
  root.replaceChildren(el('h2', { text: 'What happened' }), el('p', { className: 'headline', text: explanation.headline }), el('ol', {}, ...items));
}
