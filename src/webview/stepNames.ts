/**
 * Step names as the lanes show them: `do_swap_page.swap_read` -> `swap_read` (the function is in the hover
 * and the details), over at most two lines that break only after an underscore, as a kernel developer
 * splits an identifier (`get_swap_` / `device`). Pure: the lanes measure, this decides what fits.
 */

/** Lines a name may take in its box; the lanes are tall enough for them. */
export const NAME_LINES = 2;

export function shortStepName(stepId: string): string {
  const dot = stepId.indexOf('.');
  return dot >= 0 ? stepId.slice(dot + 1) : stepId;
}

/** `get_swap_device` -> `get_`, `swap_`, `device`: the pieces between which a line may break. */
export function nameParts(name: string): string[] {
  return name.match(/[^_]*_+|[^_]+/g) ?? [];
}

/**
 * The lines a name takes when each holds `lineWidth`, given the widths of its parts: the browser fills a
 * line with as many parts as fit. Infinity when a part alone is wider than a line.
 */
export function linesNeeded(partWidths: readonly number[], lineWidth: number): number {
  let lines = 0;
  let used = 0;
  for (const width of partWidths) {
    if (width > lineWidth) return Infinity;
    if (lines > 0 && used + width <= lineWidth) {
      used += width;
    } else {
      lines++;
      used = width;
    }
  }
  return lines;
}
