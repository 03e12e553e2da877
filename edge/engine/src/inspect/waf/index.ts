import type { Field, RequestModel } from "../fields.ts";
import { applyTransforms } from "../transforms.ts";
import { clipEvidence, type Detection, type DetectionAction, SEVERITY_SCORE } from "../types.ts";
import { genericRules } from "./generic.ts";
import { javaRules } from "./java.ts";
import { lfiRules } from "./lfi.ts";
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

function transformed(field: Field, rule: WafRule, cache: Map<string, string>): string {
  if (rule.transforms.length === 0) return field.value;
  const key = rule.transforms.join(",");
  let value = cache.get(key);
  if (value === undefined) {
    value = applyTransforms(field.value, rule.transforms);
    cache.set(key, value);
  }
  return value;
}

function runFieldRules(
  model: RequestModel,
  rules: readonly WafRule[],
  action: DetectionAction,
): Detection[] {
  const found: Detection[] = [];
  for (const field of model.fields) {
    if (field.value === "") continue;
    const cache = new Map<string, string>();
    for (const rule of rules) {
      if (!rule.kinds.includes(field.kind)) continue;
      const evidence = rule.match(transformed(field, rule, cache), field, model);
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
  const active = WAF_RULES.filter(
    (r) => r.paranoia <= settings.paranoia && !settings.disabledRules.has(r.id),
  );
  const checks = protocolChecks.filter(
    (c) => c.paranoia <= settings.paranoia && !settings.disabledRules.has(c.id),
  );
  const found: Detection[] = model.detections.map((d) => ({ ...d, action }));
  for (const c of checks) {
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
  found.push(...runFieldRules(model, active, action));
  const kept = found.filter((d) => !excluded(settings, model.path, d, d.id));
  const score = kept.reduce((n, d) => n + SEVERITY_SCORE[d.severity], 0);
  return { score, blocked: score >= settings.threshold && !settings.monitor, detections: kept };
}
