import { syntaxError } from "./errors.ts";

/** A token of the selector language with its offset in the source. */
export interface Token {
  readonly kind: "ident" | "string" | "number" | "punct" | "op" | "end";
  readonly text: string;
  readonly offset: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
const NUMBER_PART = /[0-9.]/;
const OPERATORS = ["==", "!=", "~*", ">=", "<=", "~", ">", "<"];
const PUNCTUATION = "()[],.";
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/** Maximum selector length; longer input is refused so parsing stays cheap. */
export const MAX_SELECTOR_LENGTH = 8192;

/** Splits a selector into tokens; throws a positioned SelectorSyntaxError on bad input. */
export function tokenize(source: string): Token[] {
  if (source.length > MAX_SELECTOR_LENGTH) {
    throw syntaxError(
      source,
      MAX_SELECTOR_LENGTH,
      `at most ${MAX_SELECTOR_LENGTH} characters`,
      "more",
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const token = readToken(source, i, ch);
    tokens.push(token.token);
    i = token.next;
  }
  tokens.push({ kind: "end", text: "", offset: source.length });
  return tokens;
}

function readToken(source: string, start: number, ch: string): { token: Token; next: number } {
  if (ch === '"' || ch === "'") return readString(source, start, ch);
  if (IDENT_START.test(ch)) return readWhile(source, start, "ident", IDENT_PART);
  if (/[0-9]/.test(ch)) return readWhile(source, start, "number", NUMBER_PART);

  for (const op of OPERATORS) {
    if (source.startsWith(op, start)) {
      return { token: { kind: "op", text: op, offset: start }, next: start + op.length };
    }
  }
  if (PUNCTUATION.includes(ch)) {
    return { token: { kind: "punct", text: ch, offset: start }, next: start + 1 };
  }
  throw syntaxError(source, start, "a key, value, operator or parenthesis", JSON.stringify(ch));
}

function readWhile(
  source: string,
  start: number,
  kind: "ident" | "number",
  part: RegExp,
): { token: Token; next: number } {
  let end = start + 1;
  while (end < source.length && part.test(source[end] ?? "")) end++;
  return { token: { kind, text: source.slice(start, end), offset: start }, next: end };
}

function readString(source: string, start: number, quote: string): { token: Token; next: number } {
  let text = "";
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i] ?? "";
    if (ch === quote) return { token: { kind: "string", text, offset: start }, next: i + 1 };
    if (ch === "\\") {
      const escaped = ESCAPES[source[i + 1] ?? ""];
      if (escaped === undefined) {
        throw syntaxError(
          source,
          i,
          "a valid escape (\\\\, \\\", \\', \\n, \\t, \\r)",
          JSON.stringify(source.slice(i, i + 2)),
        );
      }
      text += escaped;
      i += 2;
      continue;
    }
    text += ch;
    i++;
  }
  throw syntaxError(source, source.length, `closing ${quote}`, "end of input");
}
