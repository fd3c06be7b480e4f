/** Reading inputs and writing outputs, with the file system's errors turned into one clear sentence. */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from './errors';

/** Inputs larger than this are refused before reading: no scenario, trace or result file is near it. */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export function readTextFile(path: string, what: string): string {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new CliError(`${path}: expected a ${what} file, but this is not a regular file`);
    if (stat.size > MAX_INPUT_BYTES) throw new CliError(`${path}: expected a ${what} file of at most ${MAX_INPUT_BYTES} bytes, but it has ${stat.size}`);
    return utf8Text(readFileSync(path), path, what);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path}: cannot read the ${what} file: ${systemReason(error)}`);
  }
}

/**
 * The file's text, which must be UTF-8 (JSON's encoding): decoded leniently, UTF-16 (what Windows PowerShell 5
 * writes with `>`) would reach the parser as a stream of NULs and replacement characters, each an error.
 */
function utf8Text(bytes: Buffer, path: string, what: string): string {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0);
  if (utf16) throw new CliError(`${path}: expected a ${what} file in UTF-8, but it looks like UTF-16; save it as UTF-8`);
  try {
    // A file read is never shared memory.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes as Uint8Array<ArrayBuffer>);
  } catch {
    throw new CliError(`${path}:${lineOfInvalidUtf8(bytes)}: expected a ${what} file in UTF-8, but this line has bytes that are not UTF-8`);
  }
}

/** The line of the first bytes that do not decode as UTF-8 (a U+FFFD in the text is one, unless it was written as such). */
function lineOfInvalidUtf8(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) {
    const at = Buffer.byteLength(text.slice(0, i));
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return text.slice(0, i).split('\n').length;
  }
  return 1;
}

export function writeTextFile(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new CliError(`${path}: cannot write the ${what}: ${systemReason(error)}`);
  }
}

/**
 * Checks an output path before the work that fills it (a search may take minutes): a file name in a directory
 * that exists, not a directory, and not `input`, the file the command reads (under any name: same inode).
 */
export function requireWritablePath(path: string, what: string, input: string | undefined): void {
  if (path === '') throw new CliError(`expected a file name for the ${what}, got ""`);
  try {
    const directory = dirname(path);
    const parent = statSync(directory, { throwIfNoEntry: false });
    if (!parent) throw new CliError(`${path}: cannot write the ${what}: there is no directory ${directory}`);
    if (!parent.isDirectory()) throw new CliError(`${path}: cannot write the ${what}: ${directory} is not a directory`);
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw new CliError(`${path}: cannot write the ${what}: it is a directory`);
    // Before the search, not after it: a file that is there must take writes, else its directory must take a new file.
    accessSync(existing ? path : directory, constants.W_OK);
    const read = input === undefined ? undefined : statSync(input);
    if (existing && read && existing.dev === read.dev && existing.ino === read.ino) throw new CliError(`${path}: cannot write the ${what}: it would overwrite the input ${input}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${path}: cannot write the ${what}: ${systemReason(error)}`);
  }
}

function systemReason(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EIO':
      return 'an input/output error';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
