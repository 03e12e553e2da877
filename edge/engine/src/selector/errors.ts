/** Thrown for a selector that does not parse; carries the position and what was expected. */
export class SelectorSyntaxError extends Error {
  override readonly name = "SelectorSyntaxError";

  constructor(
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`selector ${line}:${column} (offset ${offset}): expected ${expected} but found ${found}`);
  }
}

/** Builds a syntax error for `offset` in `source`, computing its line and column. */
export function syntaxError(
  source: string,
  offset: number,
  expected: string,
  found: string,
): SelectorSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return new SelectorSyntaxError(offset, line, offset - lineStart + 1, expected, found);
}
