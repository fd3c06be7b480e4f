/**
 * A trace file that cannot be shown: its positioned errors, each a link to the place in the file. The
 * messages quote the file, which may be hostile: text only.
 */
import type { ScenarioError as TraceFileError } from '../core/scenario/types';
import { button, el } from './dom';

export function renderErrors(root: HTMLElement, file: string, errors: readonly TraceFileError[], onOpen: (line: number, column: number) => void): void {
  const items = errors.map((error) =>
    el(
      'li',
      { className: 'file-error' },
      button(`${file}:${error.line}:${error.column}`, () => onOpen(error.line, error.column), { className: 'link' }),
      ` ${error.field}: ${error.message}`,
    ),
  );
  root.replaceChildren(
    el('h2', { text: 'This trace file cannot be shown' }),
    el('p', { className: 'hint', text: 'Nothing was changed in the file. Fix it in the text editor (the links open it at each problem); the timeline updates as you edit.' }),
    el('ul', { className: 'file-errors' }, ...items),
  );
}
