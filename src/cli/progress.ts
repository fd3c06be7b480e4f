/**
 * The progress line: states, states per second, depth and elapsed time, redrawn in place with `\r` on stderr.
 * Only a terminal gets it; piped or machine-readable output stays clean.
 */
import { count, seconds } from './text';

/**
 * A search's figures so far. A strategy that cannot count states or depth while it runs reports 0 for them (the
 * parallel workers do not report their depth): no search is at 0 by its first report, 100 ms in, as every search
 * stores its initial state and steps from it at once.
 */
export interface SearchProgress {
  states: number;
  transitions: number;
  maxDepth: number;
  ms: number;
}

/** The line's text: what is not known is left out rather than shown as 0; without states, the transitions count the work. */
export function progressText(progress: SearchProgress, label: string): string {
  const [work, unit] = progress.states > 0 ? [progress.states, 'states'] : [progress.transitions, 'transitions'];
  const rate = progress.ms > 0 ? Math.round((work * 1000) / progress.ms) : 0;
  const depth = progress.maxDepth > 0 ? `, depth ${progress.maxDepth}` : '';
  return `${label}: ${count(work)} ${unit}, ${count(rate)}/s${depth}, ${seconds(progress.ms)}`;
}

/** Redraws are at most this often: more is flicker, and costs the search time. */
const REDRAW_MS = 100;

export class ProgressLine {
  /** Starts at creation, so that a search that ends within the first interval draws nothing. */
  private lastDraw = Date.now();
  private drawn = false;

  private constructor(private readonly stream: NodeJS.WriteStream) {}

  /** A progress line on stderr when it is a terminal and the output is for people, else undefined. */
  static forTerminal(machineOutput: boolean): ProgressLine | undefined {
    return !machineOutput && process.stderr.isTTY ? new ProgressLine(process.stderr) : undefined;
  }

  update(progress: SearchProgress, label: string): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const text = progressText(progress, label);
    // \x1b[K clears what a longer previous line left behind.
    this.stream.write(`\r${text.slice(0, (this.stream.columns || 80) - 1)}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
