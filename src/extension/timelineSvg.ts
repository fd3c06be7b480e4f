/**
 * The timeline as a standalone SVG file, built from the trace data (not scraped from the webview's DOM), so
 * it is the same whatever the view is scrolled to. Every name comes from a scenario someone else may have
 * written: all text goes through `xmlText`. Pure (no `vscode`).
 */
import type { Trace } from '../core/trace/types';

const COLUMN = 26;
const LANE = 26;
const LABEL_WIDTH = 160;
const TOP = 56;
const LANE_COLOURS = ['#3b82f6', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777'];

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an XML element or a quoted attribute; control characters XML 1.0 forbids are dropped. */
function xmlText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

export function timelineSvg(trace: Trace): string {
  const width = LABEL_WIDTH + trace.steps.length * COLUMN + 20;
  const height = TOP + trace.threads.length * LANE + 40;
  const violating = trace.violation?.step;
  const title = `${trace.scenario.id} on ${trace.kernel}: ${trace.verdict}`;
  const headline = trace.violation ? `${trace.violation.property}: ${trace.violation.message}` : `schedule ${trace.schedule}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${xmlText(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${xmlText(title)}</text>`,
    `<text x="8" y="36" fill="${trace.violation ? '#b91c1c' : '#374151'}">${xmlText(headline)}</text>`,
  ];
  trace.threads.forEach((thread, lane) => {
    const y = TOP + lane * LANE;
    parts.push(
      `<line x1="${LABEL_WIDTH}" y1="${y + LANE / 2}" x2="${width - 10}" y2="${y + LANE / 2}" stroke="#d1d5db"/>`,
      `<text x="8" y="${y + LANE / 2 + 4}" font-weight="bold">${xmlText(thread.name)}</text>`,
    );
  });
  trace.steps.forEach((step, i) => {
    const x = LABEL_WIDTH + i * COLUMN;
    const y = TOP + step.thread * LANE + 3;
    const isViolation = i === violating;
    const colour = LANE_COLOURS[step.thread % LANE_COLOURS.length];
    const tooltip = `${i + 1}. ${trace.threads[step.thread]?.name ?? step.thread}: ${step.stepId}: ${step.label}`;
    parts.push(
      `<g><title>${xmlText(tooltip)}</title>` +
        `<rect x="${x + 2}" y="${y}" width="${COLUMN - 4}" height="${LANE - 6}" rx="3" fill="${colour}"` +
        `${isViolation ? ' stroke="#dc2626" stroke-width="3"' : ''}/>` +
        `<text x="${x + COLUMN / 2}" y="${y + LANE / 2 + 1}" text-anchor="middle" fill="#ffffff" font-size="10">${i + 1}</text></g>`,
    );
  });
  if (violating !== undefined && violating >= 0) {
    const x = LABEL_WIDTH + violating * COLUMN + COLUMN / 2;
    parts.push(`<text x="${x}" y="${height - 14}" text-anchor="middle" fill="#b91c1c" font-weight="bold">⚠ ${xmlText(trace.violation!.property)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
