import {
  applyTransforms,
  buildRequestModel,
  compileProfiles,
  defaultProfiles,
  gateOf,
  inspectRequest,
  LiteralGate,
  parseRawRequest,
  WAF_RULES,
} from "@ringfence/engine/inspect";
import { describe, expect, it } from "vitest";
import { loadCrsCases } from "./crs-corpus.ts";
import { loadWafCorpus } from "./labelled-corpus.ts";

/*
 * The WAF skips a rule on a value that holds none of the literals its trigger requires and
 * does not match its anchored branches. Every
 * rule match on every field of both corpora (all paranoia levels, attacks and benign alike)
 * must therefore pass its gate: a match the gate would have skipped is a detection lost.
 */
describe("the literal gate on real attacks", () => {
  const requests = [
    ...loadCrsCases().cases.map((c) => c.bytes),
    ...loadWafCorpus().map((c) => c.bytes),
  ];
  const gated = WAF_RULES.flatMap((rule) => {
    const found = rule.trigger ? gateOf(rule.trigger) : undefined;
    return found ? [{ rule, head: found.head, gate: new LiteralGate([found.literals]) }] : [];
  });

  it("passes every value a gated rule matches", () => {
    let matches = 0;
    const skipped: string[] = [];
    for (const bytes of requests) {
      const model = buildRequestModel(parseRawRequest(bytes).request);
      for (const { rule, head, gate } of gated) {
        for (const field of model.fields) {
          if (field.value === "" || !rule.kinds.includes(field.kind)) continue;
          const value = applyTransforms(field.value, rule.transforms);
          if (rule.match(value, field, model) === undefined) continue;
          matches++;
          const hits = new Uint8Array(1);
          gate.scan(value, hits);
          if (hits[0] !== 1 && head?.test(value) !== true)
            skipped.push(`${rule.id} on ${JSON.stringify(value.slice(0, 80))}`);
        }
      }
    }
    expect(skipped).toEqual([]);
    expect(matches).toBeGreaterThan(500);
  });

  it("finds with the gated pipeline exactly what every rule finds on every field", () => {
    // The reference runs each rule's full transform chain and match on each field it reads;
    // the pipeline gates, defers transforms and shares work, and must lose nothing by it.
    const compiled = compileProfiles(defaultProfiles({ paranoia: 4, mode: "monitor" }));
    const ruleIds = new Set(WAF_RULES.map((r) => r.id));
    const differences: string[] = [];
    let expectedTotal = 0;
    for (const bytes of requests) {
      const { request } = parseRawRequest(bytes);
      const model = buildRequestModel(request);
      const expected = new Set<string>();
      for (const rule of WAF_RULES) {
        for (const field of model.fields) {
          if (field.value === "" || !rule.kinds.includes(field.kind)) continue;
          const value = applyTransforms(field.value, rule.transforms);
          if (rule.match(value, field, model) !== undefined) {
            expected.add(`${rule.id}@${field.location}`);
          }
        }
      }
      const actual = new Set(
        inspectRequest(compiled, request)
          .detections.filter((d) => ruleIds.has(d.id))
          .map((d) => `${d.id}@${d.location}`),
      );
      expectedTotal += expected.size;
      const missing = [...expected].filter((k) => !actual.has(k));
      if (missing.length > 0) differences.push(`${request.target}: ${missing.join(", ")}`);
    }
    expect(differences).toEqual([]);
    expect(expectedTotal).toBeGreaterThan(1000);
  });
});
