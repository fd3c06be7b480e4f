/**
 * Syntax errors of the JSON files swaprace reads (scenarios, traces, check results), worded as their rule errors
 * are: what was expected at the error, and the field being written there.
 */
import { getLocation, printParseErrorCode, type JSONPath, type ParseError } from 'jsonc-parser';

const MESSAGES: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  InvalidNumberFormat: 'expected a number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  InvalidCommentToken: 'expected no comment: this file is plain JSON',
  UnexpectedEndOfComment: 'expected "*/" to close the comment',
  UnexpectedEndOfString: 'expected a closing double quote on the same line',
  UnexpectedEndOfNumber: 'expected digits to complete the number',
  InvalidUnicode: 'expected 4 hexadecimal digits after "\\u"',
  InvalidEscapeCharacter: 'expected an escape such as \\", \\\\, \\n or \\u0041',
  InvalidCharacter: 'expected control characters in a string to be escaped',
};

/** What was expected where `error` sits in `text`; `document` names what the file holds ("the scenario object"). */
export function syntaxErrorMessage(text: string, error: ParseError, document: string): string {
  const code = printParseErrorCode(error.error);
  // InvalidSymbol, the only code without an entry, is best explained by showing the symbol.
  const symbol = text.slice(error.offset, error.offset + Math.min(error.length, 20));
  const message = code === 'EndOfFileExpected' ? `expected the end of the file after ${document}` : (MESSAGES[code] ?? `expected JSON but got ${JSON.stringify(symbol)}`);
  return error.offset >= text.length ? `${message}, but the file ends here` : message;
}

/** The path being written where a syntax error sits, e.g. `pages[0]` for a file cut off inside the first page. */
export function syntaxErrorPath(text: string, error: ParseError): JSONPath {
  // A missing comma shows at the next item, which the parser would take for a new property's name: the value before it is the one being written.
  const offset = printParseErrorCode(error.error) === 'CommaExpected' ? Math.max(0, error.offset - 1) : error.offset;
  const path = getLocation(text, offset).path;
  // A trailing "" means "a property whose name is not written yet": the enclosing object is the better answer.
  return path[path.length - 1] === '' ? path.slice(0, -1) : path;
}
