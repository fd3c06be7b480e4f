/**
 * Keeps the lanes on screen while the page scrolls down to the step details: on a small window, or in a
 * panel beside an editor, the state after the selected step starts below the fold. The pane with the
 * controls and the lanes sticks to the top of the page (`.pinned` in timeline.css) when it leaves the
 * details room below it; a taller pane scrolls with the page, or the details could never be seen beside it.
 */
/** The room a pinned pane leaves below it for the details: a heading and the first rows of the state. */
const DETAILS_ROOM_PX = 160;

export class PinnedLanes {
  constructor(private readonly pane: HTMLElement) {
    const update = () => pane.classList.toggle('pinned', pane.offsetHeight + DETAILS_ROOM_PX <= window.innerHeight);
    new ResizeObserver(update).observe(pane);
    window.addEventListener('resize', update);
  }

  /**
   * Scrolls the page down just enough to show the first `height` pixels of `target`, and never up: a reader
   * further down the details stays where they are. A pane that is not pinned is not scrolled off the top.
   */
  reveal(target: Element, height: number): void {
    const { top, bottom } = target.getBoundingClientRect();
    const hidden = Math.min(bottom, top + height) - window.innerHeight;
    if (hidden <= 0) return;
    const room = this.pane.classList.contains('pinned') ? hidden : Math.max(0, this.pane.getBoundingClientRect().top);
    window.scrollBy(0, Math.min(hidden, room));
  }
}
