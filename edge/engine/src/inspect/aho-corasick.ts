/**
 * A multi-pattern literal matcher (Aho–Corasick) over char codes: one pass over the input finds
 * every occurrence of every literal, so literal prefilters cost the same for 1 or 1,000 rules.
 */
export class AhoCorasick {
  private readonly goto: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly outputs: number[][] = [[]];
  private readonly caseInsensitive: boolean;
  /**
   * The complete transition function for ASCII, failure links already followed: bodies are
   * mostly ASCII, and one typed-array read per char is several times faster than a map lookup
   * plus a walk up the failure links. Other chars take the map path. A target state with
   * outputs is stored as its complement, so the read itself tells whether anything ends there.
   */
  private readonly ascii: Int32Array;

  constructor(
    readonly literals: readonly string[],
    options: { caseInsensitive?: boolean } = {},
  ) {
    this.caseInsensitive = options.caseInsensitive ?? false;
    for (const [index, literal] of literals.entries()) this.insert(literal, index);
    this.link();
    this.ascii = this.asciiTable();
  }

  private fold(code: number): number {
    return this.caseInsensitive && code >= 65 && code <= 90 ? code + 32 : code;
  }

  private insert(literal: string, index: number): void {
    let state = 0;
    for (let i = 0; i < literal.length; i++) {
      const code = this.fold(literal.charCodeAt(i));
      let next = this.goto[state]?.get(code);
      if (next === undefined) {
        next = this.goto.length;
        this.goto.push(new Map());
        this.fail.push(0);
        this.outputs.push([]);
        this.goto[state]?.set(code, next);
      }
      state = next;
    }
    this.outputs[state]?.push(index);
  }

  private link(): void {
    const queue: number[] = [...(this.goto[0]?.values() ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      for (const [code, next] of this.goto[state] ?? []) {
        queue.push(next);
        let f = this.fail[state] ?? 0;
        while (f !== 0 && !this.goto[f]?.has(code)) f = this.fail[f] ?? 0;
        const target = this.goto[f]?.get(code);
        this.fail[next] = target !== undefined && target !== next ? target : 0;
        this.outputs[next]?.push(...(this.outputs[this.fail[next] ?? 0] ?? []));
      }
    }
  }

  /** Fills the ASCII table breadth first: a state's misses are its failure state's moves. */
  private asciiTable(): Int32Array {
    const table = new Int32Array(this.goto.length * 128);
    const queue = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] ?? 0;
      const failRow = (this.fail[state] ?? 0) * 128;
      for (const next of this.goto[state]?.values() ?? []) queue.push(next);
      for (let code = 0; code < 128; code++) {
        const next = this.goto[state]?.get(this.fold(code));
        if (next !== undefined) table[state * 128 + code] = this.marked(next);
        else if (state !== 0) table[state * 128 + code] = table[failRow + code] ?? 0;
      }
    }
    return table;
  }

  private marked(state: number): number {
    return (this.outputs[state]?.length ?? 0) > 0 ? ~state : state;
  }

  /** Returns the indexes of the literals that occur in `text` (each at most once). */
  matchSet(text: string): Set<number> {
    return this.matchInto(text, new Set<number>());
  }

  /**
   * Adds to `found` the indexes of the literals that occur in `text`, so several texts can be
   * searched without joining them into one string first; returns `found`.
   */
  matchInto(text: string, found: Set<number>): Set<number> {
    // The scan runs over whole bodies: one table read per ASCII char, and no array made for
    // states without output.
    const { ascii, goto, fail, outputs } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 128) {
        state = ascii[(state << 7) | code] ?? 0;
        if (state >= 0) continue;
        state = ~state;
      } else {
        let next = goto[state]?.get(code);
        while (next === undefined && state !== 0) {
          state = fail[state] ?? 0;
          next = goto[state]?.get(code);
        }
        state = next ?? 0;
      }
      const out = outputs[state];
      if (out !== undefined && out.length > 0) for (const index of out) found.add(index);
    }
    return found;
  }
}
