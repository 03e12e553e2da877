import type { Field, FieldKind, RequestModel } from "../fields.ts";
import { applyTransform, type Transform } from "../transforms.ts";
import { clipEvidence, type Detection, type DetectionAction, SEVERITY_SCORE } from "../types.ts";
import { LiteralGate } from "./gate.ts";
import { genericRules } from "./generic.ts";
import { javaRules } from "./java.ts";
import { lfiRules } from "./lfi.ts";
import { gateOf, type RuleGate } from "./literals.ts";
import { phpRules } from "./php.ts";
import { protocolChecks, protocolRules } from "./protocol.ts";
import { rceRules } from "./rce.ts";
import type { Paranoia, WafRule } from "./rule.ts";
import { scannerRules } from "./scanner.ts";
import { scriptRules } from "./script.ts";
import { sessionRules } from "./session.ts";
import { sqliRules } from "./sqli.ts";
import { ssrfRules } from "./ssrf.ts";
import { xssRules } from "./xss.ts";

export type { Paranoia, WafRule } from "./rule.ts";

/** Every built-in WAF rule, in evaluation order. */
export const WAF_RULES: readonly WafRule[] = [
  ...ssrfRules,
  ...lfiRules,
  ...rceRules,
  ...phpRules,
  ...genericRules,
  ...xssRules,
  ...scriptRules,
  ...sqliRules,
  ...sessionRules,
  ...javaRules,
  ...protocolRules,
  ...scannerRules,
];

/** An exclusion: drop detections of `rule` (id or category) for arguments at `path`. */
export interface WafExclusion {
  /** A path prefix; omitted means every path. */
  path?: string;
  /** A location such as "args:comment" or "body:$.bio"; a trailing `*` matches a prefix. */
  location?: string;
  /** A rule id or a category; omitted means every rule. */
  rule?: string;
}

/** The compiled settings of one WAF profile. */
export interface WafSettings {
  paranoia: Paranoia;
  threshold: number;
  monitor: boolean;
  exclusions: WafExclusion[];
  disabledRules: Set<string>;
}

function excluded(settings: WafSettings, path: string, d: Detection, ruleId: string): boolean {
  return settings.exclusions.some((e) => {
    if (e.path !== undefined && !path.startsWith(e.path)) return false;
    if (e.rule !== undefined && e.rule !== ruleId && e.rule !== d.category) return false;
    if (e.location === undefined) return true;
    return e.location.endsWith("*")
      ? d.location.startsWith(e.location.slice(0, -1))
      : d.location === e.location;
  });
}

/**
 * A rule with the cache keys of its transform chain's prefixes, computed once rather than per
 * field: `["removeNulls", "htmlEntityDecode"]` reuses the `removeNulls` result of other rules.
 */
interface ActiveRule {
  rule: WafRule;
  keys: string[];
  /** The rule's slot in the plan's gate; its literals decide whether the rule runs at all. */
  slot: number;
  gated: boolean;
  /** The trigger's branches anchored at the value's start, which also let the rule run. */
  head: RegExp | undefined;
  /** How many of the rule's transforms the gate needs; the rest wait until the rule runs. */
  gateDepth: number;
}

/** The active rules of one settings object, grouped by the field kind they read. */
interface RulePlan {
  byKind: Map<FieldKind, ActiveRule[]>;
  checks: typeof protocolChecks;
  gate: LiteralGate;
  slots: number;
}

const plans = new WeakMap<WafSettings, RulePlan>();

/**
 * Collapsing whitespace keeps every literal without whitespace and the word edges around it
 * (a collapsed run is still whitespace), so the gate can read the value before that step and
 * the step runs only for rules the gate lets through. Anchored branches read the exact value.
 */
function gateDepth(rule: WafRule, gate: RuleGate | undefined): number {
  let depth = rule.transforms.length;
  if (!gate || gate.head || gate.literals.some((l) => /\s/.test(l))) return depth;
  while (depth > 0 && rule.transforms[depth - 1] === "compressWhitespace") depth--;
  return depth;
}

/**
 * Filters and groups the rules once per compiled profile instead of once per request. Compiled
 * settings are not changed after compilation, so the plan stays valid for their lifetime.
 */
function planFor(settings: WafSettings): RulePlan {
  let plan = plans.get(settings);
  if (plan) return plan;
  const active = WAF_RULES.filter(
    (r) => r.paranoia <= settings.paranoia && !settings.disabledRules.has(r.id),
  );
  const byKind = new Map<FieldKind, ActiveRule[]>();
  const gates = active.map((r) => (r.trigger ? gateOf(r.trigger) : undefined));
  for (const [slot, rule] of active.entries()) {
    const keys = rule.transforms.map((_, n) => rule.transforms.slice(0, n + 1).join(","));
    const gate = gates[slot];
    for (const kind of new Set(rule.kinds)) {
      const list = byKind.get(kind) ?? [];
      const gated = gate !== undefined;
      list.push({ rule, keys, slot, gated, head: gate?.head, gateDepth: gateDepth(rule, gate) });
      byKind.set(kind, list);
    }
  }
  const checks = protocolChecks.filter(
    (c) => c.paranoia <= settings.paranoia && !settings.disabledRules.has(c.id),
  );
  const gate = new LiteralGate(gates.map((g) => g?.literals));
  plan = { byKind, checks, gate, slots: active.length };
  plans.set(settings, plan);
  return plan;
}

/**
 * The field's value after the rule's first `upTo` transforms (all by default), each prefix of
 * the chain computed once.
 */
function transformed(
  field: Field,
  active: ActiveRule,
  cache: Map<string, string>,
  upTo = active.keys.length,
): string {
  const { keys, rule } = active;
  let done = upTo;
  let value: string | undefined;
  while (done > 0 && value === undefined) value = cache.get(keys[--done] as string);
  if (value === undefined) value = field.value;
  else done++;
  for (; done < upTo; done++) {
    value = applyTransform(value, rule.transforms[done] as Transform);
    cache.set(keys[done] as string, value);
  }
  return value;
}

/**
 * Which gated rules could match `value`: one gate scan per distinct transformed value of a
 * field. Transforms return their input when they change nothing, so prose scans once.
 */
function gateHits(plan: RulePlan, value: string, scanned: [string, Uint8Array][]): Uint8Array {
  for (const [text, hits] of scanned) if (text === value) return hits;
  const hits = new Uint8Array(plan.slots);
  plan.gate.scan(value, hits);
  scanned.push([value, hits]);
  return hits;
}

function passes(
  plan: RulePlan,
  active: ActiveRule,
  value: string,
  scanned: [string, Uint8Array][],
): boolean {
  return gateHits(plan, value, scanned)[active.slot] === 1 || active.head?.test(value) === true;
}

function runFieldRules(model: RequestModel, plan: RulePlan, action: DetectionAction): Detection[] {
  const found: Detection[] = [];
  for (const field of model.fields) {
    if (field.value === "") continue;
    const rules = plan.byKind.get(field.kind);
    if (!rules) continue;
    const cache = new Map<string, string>();
    const scanned: [string, Uint8Array][] = [];
    for (const active of rules) {
      const { rule } = active;
      const gateValue = transformed(field, active, cache, active.gateDepth);
      if (active.gated && !passes(plan, active, gateValue, scanned)) continue;
      const value = transformed(field, active, cache);
      const evidence = rule.match(value, field, model);
      if (evidence === undefined) continue;
      found.push({
        id: rule.id,
        category: rule.category,
        location: field.location,
        evidence: clipEvidence(evidence),
        severity: rule.severity,
        action,
      });
    }
  }
  return found;
}

/** The WAF's verdict on one request model. */
export interface WafResult {
  score: number;
  blocked: boolean;
  detections: Detection[];
}

/** Runs the WAF rules of the configured paranoia level and sums the anomaly score. */
export function runWaf(model: RequestModel, settings: WafSettings): WafResult {
  const action: DetectionAction = settings.monitor ? "log" : "block";
  const plan = planFor(settings);
  const found: Detection[] = model.detections.map((d) => ({ ...d, action }));
  for (const c of plan.checks) {
    const h = c.check(model);
    if (h)
      found.push({
        id: c.id,
        category: "protocol",
        location: h.location,
        evidence: clipEvidence(h.evidence),
        severity: "critical",
        action,
      });
  }
  found.push(...runFieldRules(model, plan, action));
  const kept = found.filter((d) => !excluded(settings, model.path, d, d.id));
  const score = kept.reduce((n, d) => n + SEVERITY_SCORE[d.severity], 0);
  return { score, blocked: score >= settings.threshold && !settings.monitor, detections: kept };
}
