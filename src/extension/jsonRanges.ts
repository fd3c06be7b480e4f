/**
 * Editor ranges in JSON text: of a positioned parser error, and of a field named by its path. Works on plain
 * text (not a TextDocument) so files that are not open in an editor get precise Problems too.
 */
import { createScanner, findNodeAtLocation, parseTree, SyntaxKind, type JSONPath, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';

/** 1-based line and column, as the core's parsers report them. */
export interface TextPosition {
  line: number;
  column: number;
}

/** Offsets <-> positions over a text, with VS Code's line breaks (\r\n, \n, \r). */
class LineIndex {
  private readonly starts = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (c === 13 || c === 10) this.starts.push(i + 1);
    }
  }

  offsetAt(line: number, character: number): number {
    const l = Math.min(Math.max(0, line), this.starts.length - 1);
    const lineEnd = l + 1 < this.starts.length ? this.starts[l + 1] : this.text.length;
    return Math.min(this.starts[l] + Math.max(0, character), lineEnd);
  }

  positionAt(offset: number): vscode.Position {
    const at = Math.min(Math.max(0, offset), this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return new vscode.Position(low, at - this.starts[low]);
  }
}

/** The range of the JSON token that starts at a reported position, kept on its line and at least one character. */
export function tokenRange(text: string, at: TextPosition): vscode.Range {
  const lines = new LineIndex(text);
  const offset = lines.offsetAt(at.line - 1, at.column - 1);
  const start = lines.positionAt(offset);
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  const token = scanner.scan();
  const length = token === SyntaxKind.EOF ? 1 : Math.max(1, scanner.getTokenLength());
  const end = lines.positionAt(offset + Math.min(length, 200));
  return new vscode.Range(start, end.line === start.line ? end : new vscode.Position(start.line, start.character + 1));
}

/**
 * The range of the value at `path`, narrowed to its `name` when it is an object that has one (a thread entry
 * reads best as its name), or to the key when the value is a list or an object. Undefined when absent.
 */
export function fieldRange(text: string, path: JSONPath): vscode.Range | undefined {
  const root = parseTree(text);
  const node = root && findNodeAtLocation(root, path);
  if (!node) return undefined;
  const name = node.type === 'object' ? findNodeAtLocation(node, ['name']) : undefined;
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  const target: Node = name ?? (key && (node.type === 'array' || node.type === 'object') ? key : node);
  const lines = new LineIndex(text);
  return new vscode.Range(lines.positionAt(target.offset), lines.positionAt(target.offset + target.length));
}
