import type { CompareOp, SelectorKey, SelectorNode } from "./ast.ts";
import { syntaxError } from "./errors.ts";
import { type Token, tokenize } from "./lexer.ts";
import { isVersion } from "./version.ts";

/** Nesting deeper than this is refused, so hostile input cannot exhaust the stack. */
export const MAX_SELECTOR_DEPTH = 64;

const RESERVED = new Set(["and", "or", "not", "in", "has", "startswith", "endswith"]);
const WORD_OPS = new Set(["startswith", "endswith"]);

/** Recursive-descent parser over the token list; one instance per parse. */
class Parser {
  private position = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): SelectorNode {
    const node = this.parseOr();
    this.expectEnd();
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: "end", text: "", offset: this.source.length };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.position++;
    return token;
  }

  private isWord(word: string, ahead = 0): boolean {
    const token = this.tokens[this.position + ahead];
    return token?.kind === "ident" && token.text === word;
  }

  private fail(expected: string, token: Token = this.peek()): never {
    const found = token.kind === "end" ? "end of input" : JSON.stringify(token.text);
    throw syntaxError(this.source, token.offset, expected, found);
  }

  private expectPunct(text: string, expected = `"${text}"`): void {
    const token = this.next();
    if (token.kind !== "punct" || token.text !== text) this.fail(expected, token);
  }

  private expectEnd(): void {
    if (this.peek().kind !== "end") this.fail('"and", "or" or end of input');
  }

  private parseOr(): SelectorNode {
    const operands = [this.parseAnd()];
    while (this.isWord("or")) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { type: "or", operands };
  }

  private parseAnd(): SelectorNode {
    const operands = [this.parseUnary()];
    while (this.isWord("and")) {
      this.next();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { type: "and", operands };
  }

  private parseUnary(): SelectorNode {
    this.depth++;
    if (this.depth > MAX_SELECTOR_DEPTH) this.fail(`nesting at most ${MAX_SELECTOR_DEPTH} deep`);
    try {
      if (this.isWord("not")) {
        this.next();
        return { type: "not", operand: this.parseUnary() };
      }
      return this.parsePrimary();
    } finally {
      this.depth--;
    }
  }

  private parsePrimary(): SelectorNode {
    const token = this.peek();
    if (token.kind === "punct" && token.text === "(") {
      this.next();
      const inner = this.parseOr();
      this.expectPunct(")", '")" or a boolean operator');
      return inner;
    }
    if (this.isWord("has")) {
      this.next();
      return { type: "has", key: this.parseKey() };
    }
    const key = this.parseKey();
    return this.parsePredicate(key);
  }

  private parseKey(): SelectorKey {
    const token = this.next();
    if (token.kind !== "ident" || RESERVED.has(token.text)) {
      this.fail('a key (tag.Name, tag["Name"], an attribute such as os.version, or "(")', token);
    }
    if (token.text === "tag" || token.text === "attr") {
      return { source: token.text, name: this.parseKeyName(token.text) };
    }
    let name = token.text;
    while (this.peek().kind === "punct" && this.peek().text === ".") {
      this.next();
      const part = this.next();
      if (part.kind !== "ident" && part.kind !== "number")
        this.fail('an attribute name part after "."', part);
      name += `.${part.text}`;
    }
    return { source: "attr", name };
  }

  private parseKeyName(prefix: string): string {
    const token = this.next();
    if (token.kind === "punct" && token.text === "." && prefix === "tag") {
      const name = this.next();
      if (name.kind !== "ident")
        this.fail('a tag name (use tag["…"] for names with spaces, dots or colons)', name);
      return name.text;
    }
    if (token.kind === "punct" && token.text === "[") {
      const name = this.next();
      if (name.kind !== "string" || name.text === "")
        this.fail("a non-empty quoted key name", name);
      this.expectPunct("]");
      return name.text;
    }
    return this.fail(prefix === "tag" ? '"." or "[" after tag' : '"[" after attr', token);
  }

  private parsePredicate(key: SelectorKey): SelectorNode {
    if (this.isWord("in")) {
      this.next();
      return { type: "in", key, negated: false, values: this.parseList() };
    }
    if (this.isWord("not") && this.isWord("in", 1)) {
      this.next();
      this.next();
      return { type: "in", key, negated: true, values: this.parseList() };
    }

    const token = this.next();
    const isWordOp = token.kind === "ident" && WORD_OPS.has(token.text);
    if (token.kind !== "op" && !isWordOp) {
      this.fail(
        "an operator (==, !=, ~, ~*, startswith, endswith, >=, <=, >, <, in, not in)",
        token,
      );
    }
    const op = token.text as CompareOp;
    const valueToken = this.peek();
    const value = this.parseValue();
    if ((op === ">=" || op === "<=" || op === ">" || op === "<") && !isVersion(value)) {
      this.fail('a dotted numeric version such as "7.4"', valueToken);
    }
    return { type: "compare", key, op, value };
  }

  private parseValue(): string {
    const token = this.next();
    if (token.kind !== "string" && token.kind !== "number")
      this.fail("a quoted string value", token);
    return token.text;
  }

  private parseList(): string[] {
    this.expectPunct("[", '"[" starting a list of values');
    const values = [this.parseValue()];
    while (this.peek().kind === "punct" && this.peek().text === ",") {
      this.next();
      values.push(this.parseValue());
    }
    this.expectPunct("]", '"," or "]"');
    return values;
  }
}

/** Parses a selector expression; throws SelectorSyntaxError with position and expectation. */
export function parseSelector(source: string): SelectorNode {
  if (typeof source !== "string") throw syntaxError("", 0, "a selector string", typeof source);
  return new Parser(source, tokenize(source)).parse();
}
