/** Reading a trace file given on the command line: untrusted input, replayed and checked by the core. */
import type { Trace } from '../core';
import { formatTraceError, parseTraceFile } from '../core/trace/file';
import { CliError } from './errors';
import { problemCount, wrongKindOfFile } from './fileKinds';
import { readTextFile } from './files';

export function loadTraceFile(path: string): Trace {
  const text = readTextFile(path, 'trace');
  const parsed = parseTraceFile(text, path);
  if (parsed.ok) return parsed.trace;
  throw wrongKindOfFile(path, text, 'trace') ?? new CliError(`${path}: the trace has ${problemCount(parsed.errors.length)}:`, parsed.errors.map(formatTraceError));
}
