/** `swaprace export`: a trace file as a Markdown bug report, a Mermaid sequence diagram or a Perfetto trace. */
import { EXPORT_FORMATS, exportTrace, type ExportFormat } from '../../core/trace/export';
import { parseCommandArgs, positionals, stringOption } from '../args';
import { CliError } from '../errors';
import { EXIT } from '../exitCodes';
import { requireWritablePath, writeTextFile } from '../files';
import { loadTraceFile } from '../traceSource';

export const EXPORT_HELP = `usage: swaprace export <trace-file> --format ${EXPORT_FORMATS.join('|')} [--out FILE]

Replays the trace file (it must reproduce its recorded verdict) and converts it:
  markdown   a bug report: scenario, kernel, verdict, property, schedule and a table of steps
  mermaid    a sequenceDiagram: a participant per thread and per shared object
  perfetto   Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing): a track per thread

  --out FILE        write to FILE instead of stdout`;

export function exportCommand(args: readonly string[]): number {
  const parsed = parseCommandArgs('export', args, { format: { type: 'string' }, out: { type: 'string' } });
  const [file] = positionals('export', parsed, ['trace-file']);
  const format = stringOption(parsed, 'format');
  if (format === undefined) throw new CliError(`swaprace export needs --format ${EXPORT_FORMATS.join('|')}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`unknown export format "${format}" (known: ${EXPORT_FORMATS.join(', ')})`);
  const out = stringOption(parsed, 'out');
  if (out !== undefined) requireWritablePath(out, `${format} export`, file);
  const text = exportTrace(loadTraceFile(file), format as ExportFormat);
  if (out === undefined) process.stdout.write(text);
  else writeTextFile(out, text, `${format} export`);
  return EXIT.verified;
}
