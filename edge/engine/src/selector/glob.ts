/**
 * Matches `text` against a glob where `*` is any run of characters, `?` is one character and
 * `\` escapes the next character. Runs in O(text × pattern) worst case with no backtracking
 * explosion, because only the most recent `*` is ever retried.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;

  while (t < text.length) {
    const pc = pattern[p];
    if (pc === "*") {
      starP = p++;
      starT = t;
      continue;
    }
    const literal = pc === "\\" ? pattern[p + 1] : pc;
    const width = pc === "\\" ? 2 : 1;
    if (pc !== undefined && (pc === "?" || literal === text[t])) {
      p += width;
      t++;
      continue;
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}
