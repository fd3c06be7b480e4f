/**
 * Exports of a trace for the places a race gets discussed: a Markdown bug report, a Mermaid sequence diagram,
 * the plain-text interleaving of a commit message (`interleaving.ts`), and Chrome trace-event JSON that
 * Perfetto (ui.perfetto.dev) and chrome://tracing open. Every export is a pure function of the trace, so the
 * same trace always gives the same text. Names in a trace come from a scenario someone else may have
 * written, so each format escapes them, and no export holds a control character raw: they go to terminals
 * (`swaprace export` writes to stdout) and to rendered pages.
 */
import { escapeControlCharacters } from '../controlCharacters';
import { findKernel } from '../kernels/versions';
import { markdownCode, markdownText } from '../markdownText';
import type { Operation } from '../scenario/types';
import { toInterleaving } from './interleaving';
import { parseSchedule } from './schedule';
import type { ObjectView, Trace, TraceStep } from './types';

export const EXPORT_FORMATS = ['markdown', 'mermaid', 'perfetto', 'interleaving'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportTrace(trace: Trace, format: ExportFormat): string {
  switch (format) {
    case 'markdown':
      return toMarkdown(trace);
    case 'mermaid':
      return toMermaid(trace);
    case 'perfetto':
      return toPerfetto(trace);
    case 'interleaving':
      return toInterleaving(trace);
  }
}

/** The index of the first step that repeats forever (a livelock's cycle), or undefined. */
function cycleStart(trace: Trace): number | undefined {
  const schedule = parseSchedule(trace.schedule);
  return schedule.cycle?.length ? schedule.prefix.length : undefined;
}

function operationText(op: Operation): string {
  switch (op.op) {
    case 'swapoff':
      return 'swapoff';
    case 'fork':
      return `fork ${op.page} into ${op.into}`;
    default:
      return `${op.op} ${op.page}`;
  }
}

/** The view of each object id, taken from the first state that shows it (a folio appears once allocated). */
function objectViews(trace: Trace): Map<string, ObjectView> {
  const views = new Map<string, ObjectView>();
  for (const state of trace.states) for (const object of state.objects) if (!views.has(object.id)) views.set(object.id, object);
  return views;
}

// Markdown

/**
 * The verdict as a report should put it: a trace is one execution, and one whose schedule was replayed
 * without a violation says nothing about the others (`replaySchedule` calls it verified).
 */
function verdictText(trace: Trace): string {
  return trace.verdict === 'verified' ? 'no violation along this schedule (one execution, not a search)' : trace.verdict;
}

function toMarkdown(trace: Trace): string {
  const { scenario, violation } = trace;
  const kernel = findKernel(trace.kernel);
  const repeatsFrom = cycleStart(trace);
  const lines = [
    `# Swap race: ${markdownText(scenario.title || scenario.id)}`,
    '',
    `- **Scenario:** ${markdownCode(scenario.id)}${scenario.reference ? ` (reference race ${markdownCode(scenario.reference)})` : ''}`,
    `- **Kernel:** ${markdownCode(trace.kernel)}${kernel ? `: ${markdownText(kernel.title)}` : ''}`,
    `- **Verdict:** ${verdictText(trace)}`,
  ];
  if (violation) {
    lines.push(`- **Property:** ${markdownCode(violation.property)}`, `- **What failed:** ${markdownText(violation.message)}`);
  }
  lines.push(
    `- **Schedule:** ${trace.schedule ? markdownCode(trace.schedule) : '(empty)'} (the thread of each step in order; \`swaprace replay\` reproduces it)`,
    '',
    '## Threads',
    '',
    ...trace.threads.map((thread, t) => `- ${t}: **${markdownText(thread.name)}**: ${markdownText(scenario.threads[t]?.ops.map(operationText).join(', ') ?? '')}`),
    '',
    '## Steps',
    '',
  );
  if (violation?.step === -1) lines.push(`The initial state already breaks ${markdownCode(violation.property)}.`, '');
  if (repeatsFrom !== undefined) lines.push(`Steps from ${repeatsFrom + 1} on repeat forever (marked ↻).`, '');
  lines.push('| # | thread | step | what happened |', '|--:|---|---|---|');
  trace.steps.forEach((step, i) => {
    const cells = [String(i + 1), markdownText(trace.threads[step.thread]?.name ?? String(step.thread)), markdownCode(step.stepId), markdownText(step.label)];
    if (repeatsFrom !== undefined && i >= repeatsFrom) cells[0] += ' ↻';
    if (violation?.step === i) {
      lines.push(`| ${cells.map((cell) => `**${cell}**`).join(' | ')} ⚠ **${markdownText(violation.property)} fails here** |`);
    } else {
      lines.push(`| ${cells.join(' | ')} |`);
    }
  });
  if (violation && violation.step >= 0) lines.push('', ...changedObjects(trace, violation.step));
  return lines.join('\n') + '\n';
}

/** The objects the violating step wrote, as they are after it: usually where the damage is visible. */
function changedObjects(trace: Trace, stepIndex: number): string[] {
  const written = new Set(trace.steps[stepIndex].writes);
  const after = trace.states[stepIndex + 1]?.objects.filter((object) => written.has(object.id)) ?? [];
  if (after.length === 0) return [];
  const rows = after.flatMap((object) =>
    Object.entries(object.fields).map(([field, value]) => `| ${markdownText(object.label)} | ${markdownText(field)} | ${markdownText(value)} |`),
  );
  return [`## Objects written by step ${stepIndex + 1}, after it`, '', '| object | field | value |', '|---|---|---|', ...rows];
}

// Mermaid

const MERMAID_ENTITIES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;', '>': '#gt;', '"': '#quot;' };

/** Mermaid text: `#` starts an entity and `;` ends a statement, so both (and markup) become entity codes, in one pass. */
function mermaidText(text: string): string {
  return escapeControlCharacters(text.replace(/[\r\n]+/g, ' ').replace(/[#;<>"]/g, (c) => MERMAID_ENTITIES[c]));
}

/** The order objects take as participants: where they sit in the kernel, from page tables down to the device. */
const OBJECT_KIND_ORDER: readonly ObjectView['kind'][] = ['lock', 'pte', 'mapping', 'slot', 'cache', 'folio', 'device', 'ghost', 'thread'];

function toMermaid(trace: Trace): string {
  const views = objectViews(trace);
  const touched = new Set(trace.steps.flatMap((step) => [...step.writes, ...step.reads]));
  const rank = (id: string) => OBJECT_KIND_ORDER.indexOf(views.get(id)?.kind ?? 'ghost');
  const objects = [...touched].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
  // Mermaid ids must be plain words; the names people see go in the aliases.
  const objectAlias = new Map(objects.map((id, i) => [id, `o${i}`]));
  const threadAlias = (t: number) => `t${t}`;
  const violation = trace.violation;
  const repeatsFrom = cycleStart(trace);

  const lines = ['sequenceDiagram', `  title ${mermaidText(`${trace.scenario.id} on ${trace.kernel}: ${verdictText(trace)}`)}`];
  trace.threads.forEach((thread, t) => lines.push(`  participant ${threadAlias(t)} as ${mermaidText(thread.name)}`));
  for (const id of objects) lines.push(`  participant ${objectAlias.get(id)} as ${mermaidText(views.get(id)?.label ?? id)}`);
  const violationNote = (over: string) => `Note over ${over}: ⚠ ${mermaidText(`${violation!.property}: ${violation!.message}`)}`;
  if (violation?.step === -1) lines.push(`  ${violationNote(threadAlias(0))}`);

  trace.steps.forEach((step, i) => {
    if (i === repeatsFrom) lines.push('  loop repeats forever');
    const indent = repeatsFrom !== undefined && i >= repeatsFrom ? '    ' : '  ';
    const isViolation = violation?.step === i;
    const target = primaryObject(step, objects);
    if (isViolation) lines.push(`${indent}rect rgba(255, 64, 64, 0.2)`);
    const from = threadAlias(step.thread);
    const text = mermaidText(`${i + 1}. ${step.stepId}: ${step.label}${alsoWritten(step, target, views)}`);
    if (target === undefined) lines.push(`${indent}Note over ${from}: ${text}`);
    else lines.push(`${indent}${from}${step.writes.includes(target) ? '->>' : '-->>'}${objectAlias.get(target)}: ${text}`);
    if (isViolation) {
      lines.push(`${indent}${violationNote(target === undefined ? from : `${from},${objectAlias.get(target)}`)}`, `${indent}end`);
    }
  });
  if (repeatsFrom !== undefined && repeatsFrom < trace.steps.length) lines.push('  end');
  return lines.join('\n') + '\n';
}

/** The object an arrow points at: the first written one, else the first read one, in participant order. */
function primaryObject(step: TraceStep, participantOrder: readonly string[]): string | undefined {
  const first = (ids: readonly string[]) => participantOrder.find((id) => ids.includes(id));
  return first(step.writes) ?? first(step.reads);
}

function alsoWritten(step: TraceStep, target: string | undefined, views: ReadonlyMap<string, ObjectView>): string {
  const others = step.writes.filter((id) => id !== target).map((id) => views.get(id)?.label ?? id);
  return others.length ? ` (also writes ${others.join(', ')})` : '';
}

// Perfetto (Chrome trace-event JSON)

/** Each step is drawn this long: the model has no time, only order, so every step gets the same width. */
const STEP_MICROSECONDS = 1000;
const PROCESS_ID = 1;

type TraceEvent = Record<string, unknown>;

function toPerfetto(trace: Trace): string {
  const violation = trace.violation;
  const repeatsFrom = cycleStart(trace);
  const events: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid: PROCESS_ID, tid: 0, args: { name: `swaprace ${trace.scenario.id} on ${trace.kernel}` } },
  ];
  // Thread ids start at 1: Perfetto reads tid 0 as the process itself.
  trace.threads.forEach((thread, t) => {
    events.push({ name: 'thread_name', ph: 'M', pid: PROCESS_ID, tid: t + 1, args: { name: thread.name } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: PROCESS_ID, tid: t + 1, args: { sort_index: t } });
  });
  trace.steps.forEach((step, i) => {
    events.push({
      name: step.stepId,
      cat: repeatsFrom !== undefined && i >= repeatsFrom ? 'step,cycle' : 'step',
      ph: 'X',
      pid: PROCESS_ID,
      tid: step.thread + 1,
      ts: i * STEP_MICROSECONDS,
      dur: STEP_MICROSECONDS,
      args: {
        index: i + 1,
        stepId: step.stepId,
        label: step.label,
        anchor: `${step.anchor.fn}:${step.anchor.point}`,
        reads: step.reads,
        writes: step.writes,
        ...(step.choice !== undefined ? { choice: step.choice } : {}),
      },
    });
  });
  if (violation) {
    // A global instant draws a line across every track where the property fails.
    events.push({
      name: `violation: ${violation.property}`,
      cat: 'violation',
      ph: 'i',
      s: 'g',
      pid: PROCESS_ID,
      tid: violation.step >= 0 ? trace.steps[violation.step].thread + 1 : 0,
      ts: (violation.step + 1) * STEP_MICROSECONDS,
      args: { property: violation.property, message: violation.message, afterStep: violation.step + 1 },
    });
  }
  const metadata = { scenario: trace.scenario.id, kernel: trace.kernel, verdict: trace.verdict, schedule: trace.schedule };
  // One event per line: compact, and still readable and diffable.
  return [
    '{',
    `  "displayTimeUnit": "ms",`,
    `  "metadata": ${jsonText(metadata)},`,
    '  "traceEvents": [',
    events.map((event) => `    ${jsonText(event)}`).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

/**
 * JSON.stringify escapes C0 controls but writes C1 controls, the line separators and the bidirectional
 * characters raw. Escaping them too changes no value: `\uXXXX` in a JSON string is the character itself.
 */
function jsonText(value: unknown): string {
  return escapeControlCharacters(JSON.stringify(value));
}
