/**
 * A guard for untrusted JSON text: jsonc-parser recurses per nesting level, so a hostile file could
 * overflow the stack. Scenario files and trace files both check their depth with this first.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';

/**
 * The offset of the first bracket nested deeper than `limit`, if any. Only a closer matching the innermost
 * open bracket closes it, as in jsonc-parser, so this depth is never below the parser's recursion depth.
 */
export function offsetBeyondNesting(text: string, limit: number): number | undefined {
  const scanner = createScanner(text, true);
  const open: SyntaxKind[] = [];
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      open.push(token);
      if (open.length > limit) return scanner.getTokenOffset();
    } else if (
      (token === SyntaxKind.CloseBraceToken && open[open.length - 1] === SyntaxKind.OpenBraceToken) ||
      (token === SyntaxKind.CloseBracketToken && open[open.length - 1] === SyntaxKind.OpenBracketToken)
    ) {
      open.pop();
    }
  }
  return undefined;
}
