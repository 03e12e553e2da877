/** Token kinds of the small SQL lexer used by the SQL injection heuristics. */
export type SqlTokenKind =
  | "str"
  | "num"
  | "word"
  | "op"
  | "lparen"
  | "rparen"
  | "comma"
  | "semi"
  | "comment"
  | "var";

/** One SQL token; `open` marks a string or comment that ran to the end of the input. */
export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  open?: boolean;
}

const OPERATORS = [
  "<=>",
  "||",
  "&&",
  "<=",
  ">=",
  "<>",
  "!=",
  "==",
  ":=",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "|",
  "&",
  "^",
  "~",
  "!",
];

function readQuoted(input: string, start: number, quote: string): [SqlToken, number] {
  let i = start;
  while (i < input.length) {
    const c = input[i];
    if (c === "\\") i += 2;
    else if (c === quote && input[i + 1] === quote) i += 2;
    else if (c === quote) return [{ kind: "str", text: input.slice(start, i) }, i + 1];
    else i++;
  }
  return [{ kind: "str", text: input.slice(start), open: true }, input.length];
}

function readComment(input: string, i: number): [SqlToken, number] | undefined {
  const code = input.charCodeAt(i);
  // Only "/*", "--" and "#" open a comment: most tokens are ruled out by their first char.
  if (code !== 47 && code !== 45 && code !== 35) return undefined;
  const two = input.slice(i, i + 2);
  if (two === "/*") {
    const end = input.indexOf("*/", i + 2);
    // MySQL executes "/*!...*/" comments, so their content is lexed as code instead.
    if (input[i + 2] === "!")
      return [
        { kind: "comment", text: "/*!" },
        i + 3 + (/^\d{5}/.test(input.slice(i + 3)) ? 5 : 0),
      ];
    return end < 0
      ? [{ kind: "comment", text: input.slice(i), open: true }, input.length]
      : [{ kind: "comment", text: input.slice(i, end + 2) }, end + 2];
  }
  if (two === "--" || input[i] === "#") {
    const end = input.indexOf("\n", i);
    return [{ kind: "comment", text: "--" }, end < 0 ? input.length : end + 1];
  }
  return undefined;
}

/** `[A-Za-z0-9_$@.]`: what an ASCII word char is; others take the Unicode-aware path. */
function isAsciiWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 36 ||
    code === 64 ||
    code === 46
  );
}

const WORD = /^[\p{L}_$@][\p{L}\p{N}_$@.]*/u;

function readWord(input: string, i: number): [SqlToken, number] {
  // Identifiers may hold any letter (MySQL and PostgreSQL allow them), so "Haßelt" is one word.
  // An ASCII word (the usual case) is read by char code; one that reaches a non-ASCII char, or
  // the 256-char bound, is read again by the Unicode-aware pattern.
  const end = Math.min(input.length, i + 256);
  let j = i + 1;
  while (j < end && isAsciiWordChar(input.charCodeAt(j))) j++;
  let text: string;
  if (input.charCodeAt(i) < 128 && (j === end || input.charCodeAt(j) < 128)) {
    text = input.slice(i, j);
  } else {
    const m = WORD.exec(input.slice(i, end));
    text = m ? m[0] : input.slice(i, i + 1);
  }
  const kind = text.startsWith("@") ? "var" : "word";
  return [{ kind, text: text.toLowerCase() }, i + text.length];
}

/** JavaScript's `\s`, by char code: the lexer skips these between tokens. */
function isRegexSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `/[\p{L}_$@]/u` for one char: ASCII by char code, anything else by the pattern. */
function isWordStart(code: number, c: string): boolean {
  if (code < 128) {
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      code === 95 ||
      code === 36 ||
      code === 64
    );
  }
  return /[\p{L}_$@]/u.test(c);
}

/**
 * Lexes `input` as SQL, optionally starting inside a string opened by `quote` (the context an
 * injected value lands in). The lexer never fails: unknown characters are skipped.
 */
export function lexSql(input: string, quote?: string, limit = 64): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  if (quote) [, i] = readQuoted(input, 0, quote);
  if (quote && i >= input.length) return [];
  if (quote) tokens.push({ kind: "str", text: "" });
  while (i < input.length && tokens.length < limit) {
    const code = input.charCodeAt(i);
    if (isRegexSpace(code)) {
      i++;
      continue;
    }
    const c = input[i] ?? "";
    const comment = readComment(input, i);
    let next: [SqlToken, number];
    if (comment) next = comment;
    else if (c === "'" || c === '"' || c === "`") next = readQuoted(input, i + 1, c);
    else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(input[i + 1] ?? ""))) {
      const m = /^(0x[0-9a-f]+|0b[01]+|\d*\.?\d+(e[+-]?\d+)?)/i.exec(input.slice(i, i + 64));
      const text = m ? m[0] : c;
      next = [{ kind: "num", text }, i + text.length];
    } else if (isWordStart(code, c)) next = readWord(input, i);
    else if (c === "(") next = [{ kind: "lparen", text: c }, i + 1];
    else if (c === ")") next = [{ kind: "rparen", text: c }, i + 1];
    else if (c === ",") next = [{ kind: "comma", text: c }, i + 1];
    else if (c === ";") next = [{ kind: "semi", text: c }, i + 1];
    else {
      const op = OPERATORS.find((o) => input.startsWith(o, i));
      if (!op) {
        i++;
        continue;
      }
      next = [{ kind: "op", text: op }, i + op.length];
    }
    tokens.push(next[0]);
    i = next[1];
  }
  return tokens;
}
