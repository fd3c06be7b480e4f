/**
 * A plain-words explanation of a violation, computed from the trace's structured events so that the
 * timeline and the CLI say the same thing. For a stale install it names the chain the reference's
 * interleaving tables show: who read which slot, who freed it, who reused it, who wrote the newer
 * value, and which check then compared equal; it claims reuse or a newer value only where the trace
 * has them (an exclusive zswap load loses the data with neither). Where data was lost to an exclusive
 * zswap load, it names the load and, when its thread then backed out, the check that failed: the
 * folio dropped with it held the only copy. For a use after swapoff, the thread's last step before
 * swapoff freed the device, and whether it held a reference then. Each part points at its step.
 */
import { GARBAGE } from '../model/dataValues';
import type { Trace, TraceEvent } from './types';

export interface ExplanationPart {
  text: string;
  /** Index into `trace.steps`, or undefined for context that is not one step. */
  step?: number;
}

export interface Explanation {
  headline: string;
  parts: ExplanationPart[];
}

type Found<K extends TraceEvent['kind']> = { step: number; event: Extract<TraceEvent, { kind: K }> };

function eventsOf<K extends TraceEvent['kind']>(trace: Trace, kind: K, from: number, to: number, thread?: number): Found<K>[] {
  const found: Found<K>[] = [];
  for (let i = Math.max(0, from); i <= to && i < trace.steps.length; i++) {
    const step = trace.steps[i];
    if (thread !== undefined && step.thread !== thread) continue;
    for (const e of step.events ?? []) if (e.kind === kind) found.push({ step: i, event: e as Extract<TraceEvent, { kind: K }> });
  }
  return found;
}

const valueText = (v: number): string => (v === GARBAGE ? 'garbage' : `value ${v}`);

/** Whether step i freed the slot or allocated it again: the end of one life of the slot's data. */
function renewsSlot(trace: Trace, i: number, slot: number): boolean {
  return (trace.steps[i].events ?? []).some((e) => (e.kind === 'freed' || e.kind === 'allocated') && e.slot === slot);
}

/**
 * The exclusive zswap loads in steps [from, to] that may have lost data still needed at `to`: of `slot`,
 * or of any slot that is neither freed nor allocated again after the load (a new life of the slot holds
 * new data). For each, the folio its step read into and, for a private folio, the check that failed when
 * its fault backed out and freed it (none when the fault installed the folio; a swap-cache folio stays
 * in the cache either way).
 */
function erasures(trace: Trace, slot: number | undefined, from: number, to: number): { step: number; slot: number; folio?: number; cached: boolean; backedOut?: Found<'check'> }[] {
  return eventsOf(trace, 'erased', from, to)
    .filter((e) => (slot === undefined ? !lifeEndsAfter(trace, e.event.slot, e.step, to) : e.event.slot === slot))
    .map((e) => {
      const read = eventsOf(trace, 'read', e.step, e.step).find((r) => r.event.slot === e.event.slot);
      const cached = !e.event.intoPrivateFolio;
      const backedOut = cached ? undefined : faultEnd(trace, e.step, to);
      return { step: e.step, slot: e.event.slot, cached, ...(read ? { folio: read.event.folio } : {}), ...(backedOut ? { backedOut } : {}) };
    });
}

/** The last step before `before` that freed or allocated the slot, or 0. */
function lifeStart(trace: Trace, slot: number, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (renewsSlot(trace, i, slot)) return i;
  return 0;
}

/** Whether the slot is freed or allocated again in steps (after, to]. */
function lifeEndsAfter(trace: Trace, slot: number, after: number, to: number): boolean {
  for (let i = after + 1; i <= to && i < trace.steps.length; i++) if (renewsSlot(trace, i, slot)) return true;
  return false;
}

/** The failed check with which the fault that ran step `from` backed out, unless it installed its folio first. */
function faultEnd(trace: Trace, from: number, to: number): Found<'check'> | undefined {
  const thread = trace.steps[from].thread;
  for (let i = from + 1; i <= to && i < trace.steps.length; i++) {
    if (trace.steps[i].thread !== thread) continue;
    for (const e of trace.steps[i].events ?? []) {
      if (e.kind === 'installed') return undefined;
      if (e.kind === 'check' && !e.passed) return { step: i, event: e };
    }
  }
  return undefined;
}

/** Parts naming an exclusive zswap load that erased a slot's copy and, if its fault then backed out, the failed check. */
function erasureParts(trace: Trace, slot: number | undefined, from: number, to: number, name: (i: number) => string): ExplanationPart[] {
  const parts: ExplanationPart[] = [];
  for (const erased of erasures(trace, slot, from, to).slice(-2)) {
    const kind = erased.cached ? 'swap-cache folio' : 'private folio';
    const only = erased.folio !== undefined ? ` into ${kind} ${erased.folio} erased the zswap copy: the folio held the only one` : ' erased the zswap copy';
    parts.push({ step: erased.step, text: `${name(erased.step)}'s exclusive zswap load of slot ${erased.slot}${only}.` });
    const check = erased.backedOut;
    if (check && !parts.some((p) => p.step === check.step)) parts.push({ step: check.step, text: `${name(check.step)}'s ${check.event.check}() failed: the fault backed out and dropped that folio.` });
  }
  return parts;
}

/**
 * S6's chain: the using thread's last step before swapoff freed the device, whether it held a reference
 * on the device then (its last get_swap_device or put_swap_device step, if any, was a get), and the free.
 */
function useAfterSwapoffParts(trace: Trace, v: number, name: (i: number) => string): ExplanationPart[] {
  const freed = eventsOf(trace, 'deviceFreed', 0, v)[0];
  if (!freed) return [];
  const thread = trace.steps[v].thread;
  let before = -1;
  let referenced = false;
  for (let i = 0; i < freed.step; i++) {
    const step = trace.steps[i];
    if (step.thread !== thread) continue;
    before = i;
    if (step.stepId.endsWith('.get_swap_device')) referenced = true;
    if (step.stepId.endsWith('.put_swap_device')) referenced = false;
  }
  const parts: ExplanationPart[] = [];
  if (before >= 0) {
    const reference = referenced ? '' : ', holding no reference on the device (get_swap_device) to hold swapoff back';
    parts.push({ step: before, text: `${name(before)} had run ${trace.steps[before].stepId} (${trace.steps[before].label})${reference}.` });
  }
  parts.push({ step: freed.step, text: `${name(freed.step)} finished swapoff and freed swap_map and the device's structures.` });
  return parts;
}

export function explainTrace(trace: Trace): Explanation | undefined {
  const violation = trace.violation;
  if (!violation) return undefined;
  const headline = `${violation.property}: ${violation.message}`;
  const name = (i: number) => trace.threads[trace.steps[i].thread].name;
  const parts: ExplanationPart[] = [];
  const v = violation.step;

  const install = v >= 0 ? eventsOf(trace, 'installed', v, v)[0] : undefined;
  if (violation.property === 'no-stale-install' && install) {
    const thread = trace.steps[v].thread;
    const reads = eventsOf(trace, 'read', 0, v, thread).filter((r) => r.event.folio === install.event.folio);
    const read = reads[reads.length - 1];
    let reused = false;
    if (read) {
      const slot = read.event.slot;
      // Garbage is a slot whose data is gone (an exclusive zswap load, a discard), whoever held the slot.
      const how =
        read.event.value === GARBAGE
          ? ": the slot's data was gone"
          : read.event.holdsHasCache
            ? ' while it held SWAP_HAS_CACHE on the slot'
            : ' without holding SWAP_HAS_CACHE: it skipped the swap cache and took no pin on the entry';
      parts.push({ step: read.step, text: `${name(read.step)} read slot ${slot} into folio ${read.event.folio} (${valueText(read.event.value)})${how}.` });
      // Only loads in the slot's present life: one before it was freed or allocated again lost older data.
      if (read.event.value === GARBAGE) parts.push(...erasureParts(trace, slot, lifeStart(trace, slot, read.step), read.step, name));
      for (const freed of eventsOf(trace, 'freed', read.step, v).filter((f) => f.event.slot === slot)) {
        parts.push({ step: freed.step, text: `${name(freed.step)} freed slot ${slot} (${trace.steps[freed.step].stepId}).` });
      }
      for (const alloc of eventsOf(trace, 'allocated', read.step, v).filter((a) => a.event.slot === slot)) {
        reused = true;
        parts.push({ step: alloc.step, text: `${name(alloc.step)} allocated slot ${slot} again for ${install.event.page}: the swap entry is bit-identical to the old one.` });
      }
    }
    const writes = eventsOf(trace, 'wrote', 0, v).filter((w) => w.event.page === install.event.page);
    const lastWrite = writes[writes.length - 1];
    if (lastWrite) parts.push({ step: lastWrite.step, text: `${name(lastWrite.step)} wrote ${valueText(lastWrite.event.value)} to ${install.event.page}.` });
    const checks = eventsOf(trace, 'check', read ? read.step : 0, v, thread).filter((c) => c.event.passed);
    const lastCheck = checks[checks.length - 1];
    const entry = reused ? 'the reused entry' : 'the same entry';
    if (lastCheck) parts.push({ step: lastCheck.step, text: `${name(lastCheck.step)}'s ${lastCheck.event.check}() then compared equal on ${entry}.` });
    const lost = lastWrite && (!read || lastWrite.step > read.step) ? 'the newer data is lost' : `${install.event.page}'s data is lost`;
    parts.push({ step: v, text: `${name(v)} installed folio ${install.event.folio} (${valueText(install.event.value)}) into ${install.event.page}: ${lost}.` });
    parts.sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
    return { headline, parts };
  }

  if (violation.property === 'no-use-after-swapoff' && v >= 0) parts.push(...useAfterSwapoffParts(trace, v, name));
  if (v >= 0) parts.push({ step: v, text: `${name(v)} at ${trace.steps[v].stepId}: ${trace.steps[v].label}` });
  if (violation.property === 'no-lost-write') parts.push(...erasureParts(trace, undefined, 0, v, name));
  const freedReads = eventsOf(trace, 'freed', 0, v);
  for (const freed of freedReads.slice(-2)) parts.push({ step: freed.step, text: `${name(freed.step)} freed slot ${freed.event.slot}.` });
  parts.sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  return { headline, parts };
}
