import {
  BUILTIN_DETECTORS,
  compileProfiles,
  defaultProfiles,
  inspectRequest,
  parseRawRequest,
  scanBuiltins,
} from "@ringfence/engine/inspect";
import { describe, expect, it } from "vitest";
import { loadDlpCorpus, loadWafCorpus } from "./labelled-corpus.ts";

const compiled = compileProfiles(defaultProfiles());

/*
 * Every labelled case passes: the metadata address hidden in a wildcard-DNS name or in the
 * userinfo is flagged by the WAF (the URL parser's host is not what the attacker aims at), and
 * Markdown inline code in prose is read as a quotation. The floors hold that.
 */
const ATTACK_FLOOR = 1;
const BENIGN_CEILING = 0;

describe("our labelled corpus", () => {
  const cases = loadWafCorpus().map((c) => {
    const { request, detections } = parseRawRequest(c.bytes);
    return { ...c, found: inspectRequest(compiled, request, { framing: detections }).detections };
  });
  const attacks = cases.filter((c) => c.label === "attack");
  const benign = cases.filter((c) => c.label === "benign");

  it("detects attacks by their category", () => {
    const missed = attacks.filter((c) => !c.found.some((d) => d.category === c.category));
    console.log(
      "missed attacks:",
      missed.map((c) => `${c.category} ${JSON.stringify(c.body ?? c.target).slice(0, 70)}`),
    );
    expect(1 - missed.length / attacks.length).toBeGreaterThanOrEqual(ATTACK_FLOOR);
  });

  it("lets benign API JSON, forms, uploads and prose through", () => {
    const flagged = benign.filter((c) => c.found.length > 0);
    console.log(
      "flagged benign:",
      flagged.map((c) => `${c.category}: ${c.found.map((d) => d.id).join(",")}`),
    );
    expect(flagged.length / benign.length).toBeLessThanOrEqual(BENIGN_CEILING);
  });

  it.each(loadDlpCorpus().map((c) => [c.label, c.detector, c] as const))(
    "DLP %s for %s",
    (label, detector, c) => {
      const found = scanBuiltins(c.text, new Set(BUILTIN_DETECTORS)).map((h) => h.detector);
      if (label === "positive") expect(found).toContain(detector);
      else expect(found).not.toContain(detector);
    },
  );
});
