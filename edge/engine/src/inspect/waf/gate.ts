/**
 * One pass over a value for every rule's required literals at once: a dense Aho–Corasick
 * automaton over ASCII, case-insensitive, that marks which rules could match. A rule none of
 * whose literals occur in the value is skipped, so a long value of prose costs one scan instead
 * of one scan per rule.
 */
export class LiteralGate {
  private readonly table: Int32Array;
  private readonly outputs: (number[] | undefined)[];
  /** How many rules have literals; the scan stops once all of them are marked. */
  readonly gated: number;

  /** `literals[i]` are rule i's required literals (lowercase ASCII), undefined when ungated. */
  constructor(literals: readonly (readonly string[] | undefined)[]) {
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    for (const [rule, list] of literals.entries()) {
      for (const literal of list ?? []) {
        if (!/^[\0-@[-\x7f]+$/.test(literal))
          throw new Error(`gate literal not lowercase ASCII: ${literal}`);
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
        own[state]?.push(rule);
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
      const rules = new Set([...(own[state] ?? []), ...(this.outputs[failRow] ?? [])]);
      this.outputs[state] = state !== 0 && rules.size > 0 ? [...rules] : undefined;
    }
    // Upper case reads as lower case: the literals are lowercase and the rules' regexes either
    // ignore case or are matched against a value whose case the gate does not need to keep.
    for (let state = 0; state < children.length; state++) {
      for (let code = 65; code <= 90; code++) {
        this.table[state * 128 + code] = this.table[state * 128 + code + 32] ?? 0;
      }
    }
  }

  /** Marks in `hits` (one slot per rule) every rule one of whose literals occurs in `text`. */
  scan(text: string, hits: Uint8Array): void {
    const { table, outputs } = this;
    let remaining = this.gated;
    let state = 0;
    for (let i = 0; i < text.length && remaining > 0; i++) {
      let code = text.charCodeAt(i);
      // Unicode case folding maps these two onto ASCII letters ("ſ" to s, the Kelvin sign to k).
      if (code >= 128) code = code === 0x17f ? 115 : code === 0x212a ? 107 : -1;
      if (code < 0) {
        state = 0;
        continue;
      }
      state = table[state * 128 + code] ?? 0;
      const out = outputs[state];
      if (out === undefined) continue;
      for (const rule of out) {
        if (hits[rule] === 0) {
          hits[rule] = 1;
          remaining--;
        }
      }
    }
  }
}
