import type { Field, FieldKind, RequestModel } from "../fields.ts";
import type { Transform } from "../transforms.ts";
import type { Category, Severity } from "../types.ts";

/** A paranoia level: 1 catches the obvious with almost no false positives, 4 is strictest. */
export type Paranoia = 1 | 2 | 3 | 4;

/**
 * One WAF rule. `match` gets the field value after `transforms` and returns the evidence of a
 * hit or undefined. Rules are code rather than regex lists because tokenizers and small
 * heuristics judge structure (is this a tautology? a tag with a handler?) that lists cannot.
 * The request model is passed for the few rules that weigh a field against the request around
 * it (a session id is only suspicious when the request came from another site).
 */
export interface WafRule {
  id: string;
  category: Category;
  paranoia: Paranoia;
  severity: Severity;
  description: string;
  kinds: readonly FieldKind[];
  transforms: readonly Transform[];
  match: (value: string, field: Field, model: RequestModel) => string | undefined;
  /**
   * A pattern every value the rule matches also matches (after the transforms). The WAF never
   * runs it: it reads the literals the pattern requires and skips the rule on values that hold
   * none of them, so only claim what `match` guarantees.
   */
  trigger?: RegExp;
}

/** The field kinds that carry attacker data in nearly every rule. */
export const ARGS: readonly FieldKind[] = ["arg", "body", "cookie", "argName", "cookieName"];

/** Arguments plus the free-text headers attackers aim at (User-Agent, Referer and the like). */
export const ARGS_HEADERS: readonly FieldKind[] = [...ARGS, "header"];

/** Arguments, headers and the path. */
export const EVERYWHERE: readonly FieldKind[] = [...ARGS_HEADERS, "path"];

/** Returns the text of the first match of `pattern`, for use as evidence. */
export function firstMatch(pattern: RegExp, value: string): string | undefined {
  const m = pattern.exec(value);
  return m ? m[0] : undefined;
}

/** Builds a rule whose whole test is one (linear, anchored-free) regular expression. */
export function patternRule(base: Omit<WafRule, "match">, pattern: RegExp): WafRule {
  return { ...base, match: (value) => firstMatch(pattern, value), trigger: pattern };
}
