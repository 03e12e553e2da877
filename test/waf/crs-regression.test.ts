import { describe, expect, it } from "vitest";
import { loadCrsCases } from "./crs-corpus.ts";
import { evaluateCrs } from "./crs-eval.ts";

/*
 * Detection meets the bar (>= 95% of level-1 attacks); the floor below holds it. Benign cases
 * flagged meet the <= 5% bar once the three benign cases that carry the exact bytes of a level-1
 * attack case are scored as attacks (`levelOneTwins`: `~+`, `~-`, `printf(foo)`); counting them
 * as benign the figure is 5.4%, held by its own ceiling. What is still flagged is listed with
 * the reason in docs/engine/crs-map.md: attacks for another CRS rule id (SQL with sleep(), `tar
 * … /etc`, metadata addresses in IPv6 spellings, which our design blocks in every spelling) and
 * framing the gateway refuses by design (CL with TE, HTTP/2 request lines on an HTTP/1.1 wire,
 * GET with a body). Both ceilings are ratchets that may only fall.
 */
const DETECTION_FLOOR = 0.967;
const FALSE_POSITIVE_CEILING = 0.05;
const RAW_FALSE_POSITIVE_CEILING = 0.054;

describe("CRS regression corpus at paranoia level 1", () => {
  const { cases, errors } = loadCrsCases();
  const tallies = [...evaluateCrs(cases, 1).values()].sort((a, b) => a.file.localeCompare(b.file));
  const attacks = tallies.reduce((n, t) => n + t.attacks, 0);
  const detected = tallies.reduce((n, t) => n + t.detected, 0);
  const benign = tallies.reduce((n, t) => n + t.benign, 0);
  const flagged = tallies.reduce((n, t) => n + t.flagged, 0);
  const twins = tallies.reduce((n, t) => n + t.contradicted.length, 0);
  const twinsFlagged = tallies.reduce((n, t) => n + t.contradictedFlagged, 0);

  it("reads every corpus file except the one empty YAML document", () => {
    expect(errors.filter((e) => !e.includes("920539"))).toEqual([]);
    expect(cases.length).toBeGreaterThan(1500);
  });

  it("detects level-1 attacks by the category of their CRS rule file, per category", () => {
    for (const t of tallies) {
      console.log(
        `crs ${t.file}: detected ${t.detected}/${t.attacks}, benign flagged ${t.flagged}/${t.benign}`,
      );
    }
    console.log(`crs total: detected ${detected}/${attacks}, benign flagged ${flagged}/${benign}`);
    console.log(`crs benign twins of level-1 attacks: ${twinsFlagged}/${twins} flagged`);
    expect(detected / attacks).toBeGreaterThanOrEqual(DETECTION_FLOOR);
  });

  it("keeps false positives on benign cases under the ceiling", () => {
    expect(flagged / benign).toBeLessThanOrEqual(FALSE_POSITIVE_CEILING);
  });

  it("keeps false positives under their own ceiling when attack twins count as benign", () => {
    expect(twins).toBe(3);
    expect((flagged + twinsFlagged) / (benign + twins)).toBeLessThanOrEqual(
      RAW_FALSE_POSITIVE_CEILING,
    );
  });
});
