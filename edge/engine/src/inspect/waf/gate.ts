/**
 * One pass over a value for every rule's required literals at once: a dense Aho–Corasick
 * automaton over ASCII, case-insensitive, that marks which rules could match. A rule none of
 * whose literals occur in the value is skipped, so a long value of prose costs one scan instead
 * of one scan per rule.
 */
import { WORD_END, WORD_START } from "./literals.ts";

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95
  );
}

export class LiteralGate {
  /** Transitions; a state with outputs is stored as its complement, so one read tells both. */
  private readonly table: Int32Array;
  /**
   * Per state, triples of (rule, start, end): the rules whose literal ends here; `start` is the
   * literal's length when it must start a word (0 otherwise), `end` 1 when it must end one.
   */
  private readonly outputs: (number[] | undefined)[];
  /** How many rules have literals; the scan stops once all of them are marked. */
  readonly gated: number;

  /**
   * `literals[i]` are rule i's required literals (lowercase ASCII; a leading WORD_START asks for
   * a word start, a trailing WORD_END for a word end), undefined when the rule is ungated.
   */
  constructor(literals: readonly (readonly string[] | undefined)[]) {
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    for (const [rule, list] of literals.entries()) {
      for (const marked of list ?? []) {
        if (!/^[\0-@[-\x7f]+$/.test(marked)) {
          throw new Error(`gate literal not lowercase ASCII: ${marked}`);
        }
        const wordStart = marked.length > 1 && marked.startsWith(WORD_START);
        const wordEnd = marked.length > 1 && marked.endsWith(WORD_END);
        const literal = marked.slice(wordStart ? 1 : 0, wordEnd ? -1 : undefined);
        // An empty literal would never be reported, and its rule never run.
        if (literal === "") throw new Error("gate literal is empty");
        let state = 0;
        for (let i = 0; i < literal.length; i++) {
          const code = literal.charCodeAt(i);
          let next = children[state]?.get(code);
          if (next === undefined) {
            next = children.length;
            children.push(new Map());
            own.push([]);
            children[state]?.set(code, next);
          }
          state = next;
        }
        own[state]?.push(rule, wordStart ? literal.length : 0, wordEnd ? 1 : 0);
      }
    }
    this.gated = literals.filter((l) => l !== undefined).length;
    this.table = new Int32Array(children.length * 128);
    this.outputs = new Array(children.length);
    this.link(children, own);
  }

  /** Fills the transition table breadth first, each state's misses taken from its fail state. */
  private link(children: Map<number, number>[], own: number[][]): void {
    const fail = new Int32Array(children.length);
    const queue = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const row = state * 128;
      const failRow = fail[state] ?? 0;
      for (let code = 0; code < 128; code++) {
        const next = children[state]?.get(code);
        if (next === undefined) {
          this.table[row + code] = state === 0 ? 0 : (this.table[failRow * 128 + code] ?? 0);
          continue;
        }
        this.table[row + code] = next;
        fail[next] = state === 0 ? 0 : (this.table[failRow * 128 + code] ?? 0);
        queue.push(next);
      }
      const pairs = [...(own[state] ?? []), ...(this.outputs[fail[state] ?? 0] ?? [])];
      this.outputs[state] = state !== 0 && pairs.length > 0 ? pairs : undefined;
    }
    // Upper case reads as lower case: the literals are lowercase and the rules' regexes either
    // ignore case or are matched against a value whose case the gate does not need to keep.
    for (let state = 0; state < children.length; state++) {
      for (let code = 65; code <= 90; code++) {
        this.table[state * 128 + code] = this.table[state * 128 + code + 32] ?? 0;
      }
    }
    for (let n = 0; n < this.table.length; n++) {
      const target = this.table[n] ?? 0;
      if (this.outputs[target] !== undefined) this.table[n] = ~target;
    }
  }

  /** Marks in `hits` (one slot per rule) every rule one of whose literals occurs in `text`. */
  scan(text: string, hits: Uint8Array): void {
    const { table, outputs } = this;
    let remaining = this.gated;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      // Unicode case folding maps these two onto ASCII letters ("ſ" to s, the Kelvin sign to k).
      if (code >= 128) {
        if (code !== 0x17f && code !== 0x212a) {
          state = 0;
          continue;
        }
        code = code === 0x17f ? 115 : 107;
      }
      state = table[(state << 7) | code] ?? 0;
      if (state >= 0) continue;
      state = ~state;
      const out = outputs[state] ?? [];
      for (let n = 0; n < out.length; n += 3) {
        const rule = out[n] ?? 0;
        const length = out[n + 1] ?? 0;
        if (hits[rule] === 1) continue;
        // A literal after `\b` counts only where no word char precedes it; before, where none
        // follows it.
        if (length > 0 && i >= length && isWordChar(text.charCodeAt(i - length))) continue;
        if (out[n + 2] === 1 && i + 1 < text.length && isWordChar(text.charCodeAt(i + 1))) continue;
        hits[rule] = 1;
        remaining--;
      }
      if (remaining === 0) return;
    }
  }
}
