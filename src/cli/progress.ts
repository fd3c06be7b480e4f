/**
 * The progress line: states, states per second, depth and elapsed time, redrawn in place with `\r` on stderr.
 * Only a terminal gets it; piped or machine-readable output stays clean.
 */
import { count, seconds } from './text';

export interface SearchProgress {
  states: number;
  maxDepth: number;
  ms: number;
}

/** The line's text. */
export function progressText(progress: SearchProgress, label: string): string {
  const rate = progress.ms > 0 ? Math.round((progress.states * 1000) / progress.ms) : 0;
  return `${label}: ${count(progress.states)} states, ${count(rate)}/s, depth ${progress.maxDepth}, ${seconds(progress.ms)}`;
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
