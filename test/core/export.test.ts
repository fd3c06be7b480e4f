import assert from 'node:assert/strict';
import { checkScenario, getBuiltinScenario, parseSchedule, type Scenario, type Trace } from '../../src/core';
import { parseScenario } from '../../src/core/scenario/parse';
import { EXPORT_FORMATS, exportTrace } from '../../src/core/trace/export';
import { replaySchedule } from '../../src/core/trace/file';
import { KNOWN_KERNELS } from './helpers/scenario-arbitrary';

const S1 = checkScenario(getBuiltinScenario('anon-direct-aba')!, { kernel: 'v6.7' }).trace!;

/** Thread and page names may hold any characters; these are the ones each format must neutralise. */
const HOSTILE_THREAD = 'a|b <img src=x> *x* #1; "q" `c` [l](u)';
/** ESC and CSI (C1) sequences a terminal obeys, a line separator and a right-to-left override. */
const CONTROL_THREAD = 'T\u001b[31m \u009b2J \u2028 \u202eR';
const CONTROL_THREAD_ESCAPED = 'T\\u001b[31m \\u009b2J \\u2028 \\u202eR';
/** What no export may hold raw: C0 but the line feed that ends its lines, DEL, C1, U+2028/2029, bidi formatting. */
const CONTROL_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function hostileTrace(): Trace {
  const text = JSON.stringify({
    id: 'hostile',
    kernel: 'v6.7',
    pages: [{ name: 'p<0>|;' }],
    threads: [
      { name: HOSTILE_THREAD, ops: [{ op: 'read', page: 'p<0>|;' }] },
      { name: 'line\nbreak', ops: [{ op: 'read', page: 'p<0>|;' }] },
      { name: CONTROL_THREAD, ops: [{ op: 'read', page: 'p<0>|;' }] },
    ],
  });
  const parsed = parseScenario(text, 'hostile.swaprace.json', KNOWN_KERNELS);
  assert.ok(parsed.ok);
  return replaySchedule(parsed.scenario as Scenario, 'v6.7', parseSchedule('0.0.1.1.0'));
}

/** The rows of the Markdown steps table. */
function stepRows(markdown: string): string[] {
  return markdown.split('\n').filter((line) => /^\| (\*\*)?\d/.test(line));
}

/** Splits a Markdown table row at its unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('trace exports', () => {
  it('are deterministic', () => {
    for (const format of EXPORT_FORMATS) assert.equal(exportTrace(S1, format), exportTrace(structuredClone(S1), format), format);
  });

  it('say that a replayed schedule without a violation is one execution, not a verified scenario', () => {
    const clean = replaySchedule(getBuiltinScenario('anon-direct-aba')!, 'v6.7', parseSchedule('0'));
    assert.equal(clean.verdict, 'verified');
    assert.ok(exportTrace(clean, 'markdown').includes('- **Verdict:** no violation along this schedule (one execution, not a search)\n'));
    assert.match(exportTrace(clean, 'mermaid'), /title anon-direct-aba on v6\.7: no violation along this schedule \(one execution, not a search\)\n/);
  });

  describe('markdown', () => {
    const markdown = exportTrace(S1, 'markdown');

    it('summarises the scenario, kernel, verdict, property, message and schedule', () => {
      assert.match(markdown, /^# Swap race: S1: direct swap-in ABA on an anonymous page\n/);
      for (const expected of [
        '- **Scenario:** `anon-direct-aba` (reference race `S1`)',
        '- **Kernel:** `v6.7`: v6.7: direct swap-in with no pin (the ABA of the Nov 2023 discussion)',
        '- **Verdict:** violation',
        '- **Property:** `no-stale-install`',
        '- **What failed:** p0 mapped folio 0 holding value 1, but the latest value written is 2',
        `- **Schedule:** \`${S1.schedule}\``,
        '- 1: **T1**: read p0, write p0',
      ]) {
        assert.ok(markdown.includes(expected), expected);
      }
    });

    it('tables every step, and marks the violating one', () => {
      assert.ok(markdown.includes('| # | thread | step | what happened |\n|--:|---|---|---|\n'));
      const rows = stepRows(markdown);
      assert.equal(rows.length, S1.steps.length);
      assert.equal(rows[0], '| 1 | T0 | `handle_pte_fault.orig_pte` | p0: orig\\_pte = swap(slot 0) |');
      assert.equal(rows[27], '| **28** | **T0** | **`do_swap_page.set_pte`** | **p0 now maps folio 0 (value 1)** ⚠ **no-stale-install fails here** |');
      assert.equal(rows.filter((row) => row.includes('⚠')).length, 1);
      assert.ok(markdown.includes('## Objects written by step 28, after it\n\n| object | field | value |\n|---|---|---|\n| PTE p0 | value | present(folio 0) |'));
    });

    it('escapes names so that they neither break the table nor render as markup', () => {
      const hostile = exportTrace(hostileTrace(), 'markdown');
      for (const row of stepRows(hostile)) assert.equal(cells(row).length, 4, row);
      assert.ok(hostile.includes('a\\|b \\<img src=x\\> \\*x\\* \\#1; "q" \\`c\\` \\[l\\](u)'));
      assert.doesNotMatch(hostile, /(?<!\\)<img/);
      assert.ok(hostile.includes('**line break**'), 'a line break in a name stays on its line');
    });

    it('shows control characters in names as escapes, never raw', () => {
      const hostile = exportTrace(hostileTrace(), 'markdown');
      assert.doesNotMatch(hostile, CONTROL_CHARACTER);
      assert.ok(hostile.includes(`- 2: **${CONTROL_THREAD_ESCAPED.replace('[', '\\[')}**: read`), hostile);
    });
  });

  describe('mermaid', () => {
    const mermaid = exportTrace(S1, 'mermaid');
    const lines = mermaid.trimEnd().split('\n');

    it('is a sequence diagram with a participant per thread and per shared object', () => {
      assert.equal(lines[0], 'sequenceDiagram');
      assert.equal(lines[1], '  title anon-direct-aba on v6.7: violation');
      const participants = lines.filter((line) => line.startsWith('  participant '));
      assert.deepEqual(participants.slice(0, 3), ['  participant t0 as T0', '  participant t1 as T1', '  participant t2 as R']);
      assert.ok(participants.includes('  participant o1 as VMA lock (p0)'));
      assert.ok(participants.includes('  participant o2 as PTE p0'));
      assert.ok(participants.includes('  participant o3 as swap_map[0]'));
    });

    it('draws every step, writes solid and reads dotted, and the violation in a red box', () => {
      const messages = lines.filter((line) => /^ +t\d+-?->>o\d+: \d+\. /.test(line));
      assert.equal(messages.length, S1.steps.length);
      // The fault takes the page's VMA lock for read (a count of holders): a write; its PTE read takes no lock.
      assert.equal(messages[0], '  t0->>o1: 1. handle_pte_fault.orig_pte: p0: orig_pte = swap(slot 0)');
      assert.equal(messages[2], '  t0-->>o3: 3. do_swap_page.swap_cache_lookup: swap cache miss for slot 0');
      assert.ok(lines.includes('  t2->>o2: 25. try_to_unmap.unmap: p0: PTE -#gt; swap(slot 0), count 1 (also writes folio 1, swap_map[0])'));
      assert.deepEqual(lines.slice(-4), [
        '  rect rgba(255, 64, 64, 0.2)',
        '  t0->>o2: 28. do_swap_page.set_pte: p0 now maps folio 0 (value 1) (also writes folio 0)',
        '  Note over t0,o2: ⚠ no-stale-install: p0 mapped folio 0 holding value 1, but the latest value written is 2',
        '  end',
      ]);
    });

    it('turns the characters Mermaid reads as syntax into entities', () => {
      const hostile = exportTrace(hostileTrace(), 'mermaid');
      assert.ok(hostile.includes('  participant t0 as a|b #lt;img src=x#gt; *x* #35;1#59; #quot;q#quot; `c` [l](u)\n'));
      assert.ok(hostile.includes('  participant t1 as line break\n'));
      for (const line of hostile.trimEnd().split('\n').slice(1)) {
        const text = line.replace(/^ *(title |participant \w+ as |\w+-?->>\w+: |Note over [\w,]+: )/, '').replace(/#\w+;/g, '');
        assert.doesNotMatch(text, /[;<>"]/, line);
      }
    });

    it('shows control characters in names as escapes, never raw', () => {
      const hostile = exportTrace(hostileTrace(), 'mermaid');
      assert.doesNotMatch(hostile, CONTROL_CHARACTER);
      assert.ok(hostile.includes(`  participant t2 as ${CONTROL_THREAD_ESCAPED}\n`));
    });
  });

  describe('interleaving', () => {
    const text = exportTrace(S1, 'interleaving');
    const lines = text.trimEnd().split('\n');
    const diagram = lines.slice(lines.findIndex((line) => /^T0 +T1 +R$/.test(line)));
    /** The column of a thread's lines: three threads share 72 characters, 22 each with gaps of 2. */
    const columnOf = (line: string) => Math.floor((line.length - line.trimStart().length) / 24);

    it('heads the diagram with the scenario, kernel, schedule and what failed', () => {
      assert.deepEqual(lines.slice(0, 2), ['anon-direct-aba on v6.7', `schedule ${S1.schedule}`]);
      assert.match(lines.slice(2, 4).join(' '), /^no-stale-install: p0 mapped folio 0 holding value 1, but the latest value written is 2/);
      assert.deepEqual(diagram.slice(0, 2).map((line) => line.split(/ +/)), [['T0', 'T1', 'R'], ['--', '--', '-']]);
    });

    it('puts each step in its thread\'s column, in the order of the schedule, under the function it runs in', () => {
      const body = diagram.slice(2);
      // Each change of column is a change of thread in the schedule.
      const columns = body.map(columnOf).filter((column, i, all) => i === 0 || column !== all[i - 1]);
      const threads = S1.steps.map((step) => step.thread).filter((thread, i, all) => i === 0 || thread !== all[i - 1]);
      assert.deepEqual(columns, threads);
      const t1 = body.filter((line) => columnOf(line) === 1).map((line) => line.trim());
      assert.deepEqual(t1.filter((line) => line.endsWith('()')), ['handle_pte_fault()', 'do_swap_page()', 'handle_pte_fault()']);
      assert.ok(t1.includes('pte_same() passes:'), t1.join('\n'));
      // A step with nothing of this execution to tell is named by its point, not its generic summary.
      assert.ok(t1.includes('folio_lock_or_retry'), t1.join('\n'));
    });

    it('marks the violating step, the last of T0\'s column, and fits lines in 72 characters', () => {
      assert.deepEqual(diagram.slice(-4).map((line) => line.trim()), ['p0 now maps folio 0', '(value 1)', '<- no-stale-install', 'fails here']);
      assert.ok(diagram.slice(-4).every((line) => columnOf(line) === 0));
      for (const line of lines.filter((line) => !line.startsWith('schedule '))) assert.ok(line.length <= 72, line);
    });

    it('marks where a livelock\'s cycle starts, and a violation of the initial state', () => {
      const cyclic = { ...S1, violation: undefined, verdict: 'violation' as const, schedule: `${S1.schedule.split('.').slice(0, 20).join('.')}~${S1.schedule.split('.').slice(20).join('.')}` };
      const marked = exportTrace(cyclic, 'interleaving').split('\n');
      const at = marked.findIndex((line) => line.trim() === '(from here on, repeats');
      assert.ok(at > 0 && columnOf(marked[at]) === 1, 'in the column of the 21st step, T1');
      assert.equal(marked[at + 2].trim(), 'handle_pte_fault()');
      const initial = exportTrace({ ...S1, steps: [], schedule: '', violation: { step: -1, property: 'no-slot-leak', message: 'leaked' } }, 'interleaving');
      assert.ok(initial.endsWith('-\n(the initial state\nalready breaks\nno-slot-leak)\n'), initial);
    });

    it('lists the steps down the page, under their thread\'s name, when five threads would not fit side by side', () => {
      const names = ['T0', 'T1', 'T2', 'T3', 'reclaimer of the page'];
      const scenario = parseScenario(JSON.stringify({
        id: 'five',
        kernel: 'v6.7',
        pages: [{ name: 'p0' }],
        threads: names.map((name, t) => ({ name, ops: [{ op: t === 4 ? 'reclaim' : 'read', page: 'p0' }] })),
      }), 'five.swaprace.json', KNOWN_KERNELS);
      assert.ok(scenario.ok);
      const schedule = '0.1.2.3.4.0.0.1.2';
      const listed = exportTrace(replaySchedule(scenario.scenario as Scenario, 'v6.7', parseSchedule(schedule)), 'interleaving').trimEnd().split('\n');
      const body = listed.slice(listed.indexOf('') + 1);
      for (const line of listed.filter((line) => !line.startsWith('schedule '))) assert.ok(line.length <= 72, line);
      // A name heads each run of one thread's steps (the long one cut to 12 characters); functions and steps line up right of the names.
      const heads = body.filter((line) => !line.startsWith(' ')).map((line) => line.slice(0, 12).trimEnd());
      const runs = schedule.split('.').map(Number).filter((thread, i, all) => i === 0 || thread !== all[i - 1]);
      assert.deepEqual(heads, runs.map((thread) => ['T0', 'T1', 'T2', 'T3', 'reclaimer of'][thread]));
      assert.ok(body.every((line) => /^(\S.{0,11}|\s{12}) {2}( {2})?\S/.test(line)), body.join('\n'));
      const text = body.map((line) => line.slice(14).trim());
      assert.ok(text.includes('handle_pte_fault()') && text.includes('shrink_folio_list()'), body.join('\n'));
    });

    it('shows control characters in names as escapes, never raw', () => {
      const hostile = exportTrace(hostileTrace(), 'interleaving');
      assert.doesNotMatch(hostile, CONTROL_CHARACTER);
      assert.ok(hostile.includes('T\\u001b[31m'), hostile);
      assert.ok(!hostile.includes('line\nbreak'));
    });
  });

  describe('perfetto', () => {
    const document = JSON.parse(exportTrace(S1, 'perfetto'));
    const events: Record<string, any>[] = document.traceEvents;

    it('names one track per thread', () => {
      const names = events.filter((event) => event.name === 'thread_name').map((event) => [event.tid, event.args.name]);
      assert.deepEqual(names, [[1, 'T0'], [2, 'T1'], [3, 'R']]);
      assert.deepEqual(document.metadata, { scenario: 'anon-direct-aba', kernel: 'v6.7', verdict: 'violation', schedule: S1.schedule });
    });

    it('makes each step a complete event on its thread, in order, with its id, label and anchor', () => {
      const steps = events.filter((event) => event.ph === 'X');
      assert.equal(steps.length, S1.steps.length);
      steps.forEach((event, i) => {
        assert.equal(event.tid, S1.steps[i].thread + 1);
        assert.equal(event.ts, i * 1000);
        assert.equal(event.dur, 1000);
        assert.equal(event.args.stepId, S1.steps[i].stepId);
        assert.equal(event.args.label, S1.steps[i].label);
        assert.equal(event.args.anchor, `${S1.steps[i].anchor.fn}:${S1.steps[i].anchor.point}`);
      });
    });

    it('marks the violation with a global instant at the end of the violating step', () => {
      const markers = events.filter((event) => event.ph === 'i');
      assert.deepEqual(markers, [
        {
          name: 'violation: no-stale-install',
          cat: 'violation',
          ph: 'i',
          s: 'g',
          pid: 1,
          tid: 1,
          ts: 28_000,
          args: { property: 'no-stale-install', message: S1.violation!.message, afterStep: 28 },
        },
      ]);
    });

    it('keeps hostile names as data', () => {
      const hostile = JSON.parse(exportTrace(hostileTrace(), 'perfetto'));
      assert.equal(hostile.traceEvents.find((event: Record<string, any>) => event.name === 'thread_name').args.name, HOSTILE_THREAD);
    });

    it('escapes control characters in JSON, keeping the names they are in', () => {
      const text = exportTrace(hostileTrace(), 'perfetto');
      assert.doesNotMatch(text, CONTROL_CHARACTER);
      const names = JSON.parse(text).traceEvents.filter((event: Record<string, any>) => event.name === 'thread_name').map((event: Record<string, any>) => event.args.name);
      assert.equal(names[2], CONTROL_THREAD);
    });
  });
});
