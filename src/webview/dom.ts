/**
 * Building DOM from data. Every string a trace or scenario supplies arrives through `text` and lands in
 * `textContent` (or an attribute set with setAttribute, never parsed): this file is the only place that
 * creates elements, and it has no way to parse markup.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  /** Hover text: set as an attribute value, which is never parsed as markup. */
  title?: string;
  attributes?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title !== undefined) element.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) element.setAttribute(name, value);
  // Strings become text nodes: append() never parses them.
  element.append(...children);
  return element;
}

export function button(text: string, onClick: () => void, options: ElementOptions = {}): HTMLButtonElement {
  const element = el('button', { ...options, text });
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the timeline page has no #${id}`);
  return element as T;
}
