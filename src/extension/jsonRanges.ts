/**
 * Editor ranges in JSON text: of a positioned parser error, and of a field named by its path. Works on plain
 * text (not a TextDocument) so files that are not open in an editor get precise Problems too.
 */
import { createScanner, findNodeAtLocation, parseTree, SyntaxKind, type JSONPath, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';
import { LineIndex, type TextPosition } from '../core/lineIndex';

/** The editor's (0-based) position of `offset`. */
function positionAt(lines: LineIndex, offset: number): vscode.Position {
  const { line, column } = lines.position(offset);
  return new vscode.Position(line - 1, column - 1);
}

/** The range of the JSON token that starts at a reported position, kept on its line and at least one character. */
export function tokenRange(text: string, at: TextPosition): vscode.Range {
  const lines = new LineIndex(text);
  const offset = lines.offset(at);
  const start = positionAt(lines, offset);
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  const token = scanner.scan();
  const length = token === SyntaxKind.EOF ? 1 : Math.max(1, scanner.getTokenLength());
  const end = positionAt(lines, offset + Math.min(length, 200));
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
  return new vscode.Range(positionAt(lines, target.offset), positionAt(lines, target.offset + target.length));
}
