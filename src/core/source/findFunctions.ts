/**
 * Finds definitions of the kernel functions the model covers in C source text.
 * A plain regex, not a C parser: kernel style puts definitions at column 0 and follows the
 * parameter list with `{`, while prototypes end in `;` and calls are indented.
 */

/** `s` with every regular-expression metacharacter escaped. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface FunctionDefinition {
  name: string;
  /** 0-based line of the function name. */
  line: number;
}

export function findFunctionDefinitions(text: string, names: readonly string[]): FunctionDefinition[] {
  if (names.length === 0) return [];
  const alternatives = names.map(escapeRegExp).join('|');
  // Optional return type and qualifiers on the same line, the name, then a parameter list
  // (no `;`, `{` or `}` inside) closed by `)` and an opening brace.
  const definition = new RegExp(`^(?:[A-Za-z_][\\w \\t*]*?[ \\t*])?(${alternatives})\\s*\\([^;{}]*?\\)\\s*\\{`, 'gmd');
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const found: FunctionDefinition[] = [];
  for (const match of text.matchAll(definition)) {
    found.push({ name: match[1], line: lineOf(match.indices![1][0]) });
  }
  return found;
}

/**
 * The 0-based line of the brace closing the function defined at `definitionLine`: in kernel style the
 * first later line that starts with `}` (bodies are indented; labels and `#if` lines never start with
 * a brace). The last line when there is none.
 */
export function findFunctionEnd(lines: readonly string[], definitionLine: number): number {
  for (let i = definitionLine + 1; i < lines.length; i++) if (lines[i].startsWith('}')) return i;
  return lines.length - 1;
}
