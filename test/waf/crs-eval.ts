import {
  compileProfiles,
  defaultProfiles,
  inspectRequest,
  parseRawRequest,
} from "@ringfence/engine/inspect";
import type { CrsCase } from "./crs-corpus.ts";

/** Per-file tallies of a CRS corpus run. */
export interface CrsTally {
  file: string;
  attacks: number;
  detected: number;
  benign: number;
  flagged: number;
  misses: string[];
  falsePositives: string[];
  /** Benign cases whose exact bytes are also a level-1 attack case; scored as attacks only. */
  contradicted: string[];
  /** How many of those Ringfence flags (it must, to detect their attack twins). */
  contradictedFlagged: number;
}

/**
 * The benign cases that carry the same bytes as a level-1 attack case. The corpus requires those
 * bytes to be detected at level 1, so no WAF can satisfy both labels; they are scored as attacks.
 */
export function levelOneTwins(cases: CrsCase[]): Set<string> {
  const key = (c: CrsCase) => Buffer.from(c.bytes).toString("latin1");
  const attacks = new Set(cases.filter((c) => c.attack && c.paranoia === 1).map(key));
  return new Set(cases.filter((c) => !c.attack && attacks.has(key(c))).map((c) => c.name));
}

/**
 * Runs the level-1 attacks and all benign cases at paranoia 1 and tallies per CRS file; benign
 * twins of level-1 attacks (`levelOneTwins`) are kept apart.
 */
export function evaluateCrs(cases: CrsCase[], paranoia: 1 | 2 | 3 | 4 = 1): Map<string, CrsTally> {
  const compiled = compileProfiles(defaultProfiles({ paranoia }));
  const tallies = new Map<string, CrsTally>();
  const twins = levelOneTwins(cases);
  for (const c of cases) {
    if (c.attack && c.paranoia !== 1) continue;
    const tally = tallies.get(c.file) ?? {
      file: c.file,
      attacks: 0,
      detected: 0,
      benign: 0,
      flagged: 0,
      misses: [],
      falsePositives: [],
      contradicted: [],
      contradictedFlagged: 0,
    };
    tallies.set(c.file, tally);
    const { request, detections: framing } = parseRawRequest(c.bytes);
    const result = inspectRequest(compiled, request, { framing });
    if (c.attack) {
      tally.attacks++;
      const hit = result.detections.some(
        (d) =>
          c.categories.includes(d.category) ||
          (d.category === "protocol" && d.id.startsWith("protocol-") && framing.length > 0),
      );
      if (hit) tally.detected++;
      else tally.misses.push(c.name);
    } else if (twins.has(c.name)) {
      tally.contradicted.push(c.name);
      if (result.detections.length > 0) tally.contradictedFlagged++;
    } else {
      tally.benign++;
      if (result.detections.length > 0) {
        tally.flagged++;
        tally.falsePositives.push(`${c.name}: ${result.detections.map((d) => d.id).join(",")}`);
      }
    }
  }
  return tallies;
}
