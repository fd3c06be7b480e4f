/** Reading a trace file given on the command line: untrusted input, replayed and checked by the core. */
import type { Trace } from '../core';
import { formatTraceError, parseTraceFile } from '../core/trace/file';
import { CliError } from './errors';
import { readTextFile } from './files';

export function loadTraceFile(path: string): Trace {
  const parsed = parseTraceFile(readTextFile(path, 'trace'), path);
  if (parsed.ok) return parsed.trace;
  const problems = parsed.errors.length === 1 ? 'a problem' : `${parsed.errors.length} problems`;
  throw new CliError(`${path}: the trace has ${problems}:`, parsed.errors.map(formatTraceError));
}
