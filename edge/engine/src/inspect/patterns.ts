import { RE2JS } from "re2js";

/** Why a customer pattern was refused, with the construct and its position. */
export class PatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly position: number,
    readonly construct: string,
  ) {
    super(`pattern refused at position ${position}: ${construct}`);
    this.name = "PatternError";
  }
}

const UNSUPPORTED: [RegExp, string][] = [
  [/\\[1-9]/, "backreference (\\1…\\9) needs backtracking and cannot run in linear time"],
  [/\\k<[^>]*>/, "named backreference (\\k<name>) needs backtracking"],
  [/\(\?=/, "lookahead (?=…) is not supported by the linear-time engine"],
  [/\(\?!/, "negative lookahead (?!…) is not supported by the linear-time engine"],
  [/\(\?<=/, "lookbehind (?<=…) is not supported by the linear-time engine"],
  [/\(\?<!/, "negative lookbehind (?<!…) is not supported by the linear-time engine"],
  [/\(\?>/, "atomic group (?>…) is not supported by the linear-time engine"],
  [/[*+?}]\+/, "possessive quantifier is not supported by the linear-time engine"],
  [/\(\?\(/, "conditional group (?(…)…) is not supported by the linear-time engine"],
];

/** Finds the first unsupported construct that is not itself escaped. */
function findUnsupported(pattern: string): PatternError | undefined {
  for (const [shape, construct] of UNSUPPORTED) {
    const re = new RegExp(shape.source, "g");
    for (const m of pattern.matchAll(re)) {
      const before = pattern.slice(0, m.index).match(/\\*$/)?.[0].length ?? 0;
      if (before % 2 === 0) return new PatternError(pattern, m.index ?? 0, construct);
    }
  }
  return undefined;
}

/** Limits for customer patterns: size at save time, work per evaluation at run time. */
export interface PatternLimits {
  maxPatternLength: number;
  /** Characters of input a pattern may scan per evaluation; beyond it the result fails closed. */
  maxInputChars: number;
}

export const DEFAULT_PATTERN_LIMITS: PatternLimits = {
  maxPatternLength: 1024,
  maxInputChars: 1 << 20,
};

/** A validated customer pattern, compiled for the linear-time engine. */
export interface CustomPattern {
  source: string;
  regex: RE2JS;
  /** The longest literal every match must contain, used by the multi-pattern prefilter. */
  literal: string | undefined;
}

/** One match of a customer pattern. */
export interface PatternMatch {
  start: number;
  end: number;
  text: string;
}

/**
 * Validates and compiles a customer pattern at save time. Throws {@link PatternError} naming the
 * construct and its position when the pattern needs backtracking or does not parse.
 */
export function compileCustomPattern(
  pattern: string,
  caseInsensitive = false,
  limits = DEFAULT_PATTERN_LIMITS,
): CustomPattern {
  if (pattern.length === 0) throw new PatternError(pattern, 0, "empty pattern");
  if (pattern.length > limits.maxPatternLength)
    throw new PatternError(
      pattern,
      limits.maxPatternLength,
      `pattern longer than ${limits.maxPatternLength} characters`,
    );
  const unsupported = findUnsupported(pattern);
  if (unsupported) throw unsupported;
  try {
    const regex = RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    return { source: pattern, regex, literal: requiredLiteral(pattern, caseInsensitive) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const bad = /`([^`]*)`/.exec(message)?.[1];
    const position = bad ? Math.max(0, pattern.indexOf(bad)) : 0;
    throw new PatternError(pattern, position, message.replace(/^error parsing regexp: /, ""));
  }
}

/**
 * The longest run of plain characters at the top level of a pattern without alternation, so a
 * match must contain it. Returns undefined when no such literal of 3+ characters exists.
 */
export function requiredLiteral(pattern: string, caseInsensitive: boolean): string | undefined {
  if (/[|]/.test(pattern.replace(/\\./g, "")) || caseInsensitive) return undefined;
  let best = "";
  let current = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    const next = pattern[i + 1] ?? "";
    if (c === "\\" && /[^\w]/.test(next) && depth === 0) {
      current += next;
      i++;
    } else if (depth === 0 && /[\w@:/=,;'"<> -]/.test(c) && !/[*?{]/.test(next)) {
      current += c;
    } else {
      if (c === "(" || c === "[") depth++;
      if ((c === ")" || c === "]") && depth > 0) depth--;
      if (current.length > best.length) best = current;
      current = /[*?{+]/.test(next) ? "" : "";
    }
  }
  if (current.length > best.length) best = current;
  return best.length >= 3 ? best : undefined;
}

/**
 * Finds all matches of a customer pattern. Input beyond the budget is not scanned and the
 * result says so (`exhausted`), so the caller can fail closed.
 */
export function findAll(
  pattern: CustomPattern,
  text: string,
  limits = DEFAULT_PATTERN_LIMITS,
): { matches: PatternMatch[]; exhausted: boolean } {
  const exhausted = text.length > limits.maxInputChars;
  const input = exhausted ? text.slice(0, limits.maxInputChars) : text;
  const matches: PatternMatch[] = [];
  const m = pattern.regex.matcher(input);
  while (matches.length < 10_000 && m.find()) {
    const start = m.start();
    const end = m.end();
    matches.push({ start, end, text: input.slice(start, end) });
    if (end === start && !m.find(end + 1)) break;
  }
  return { matches, exhausted };
}
