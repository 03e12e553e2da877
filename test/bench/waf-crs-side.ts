import {
  compileProfiles,
  defaultProfiles,
  inspectRequest,
  parseRawRequest,
} from "@ringfence/engine/inspect";
import { type CrsCase, loadCrsCases } from "../waf/crs-corpus.ts";
import { evaluateCrs, levelOneTwins } from "../waf/crs-eval.ts";
import { sendRaw } from "./waf-modsec.ts";

/** One CRS rule file's figures for both WAFs. */
export interface CrsSide {
  file: string;
  attacks: number;
  benign: number;
  /** Ours: a detection in the file's categories (what the corpus test counts). */
  ringfenceDetected: number;
  /** Ours: the request is refused (anomaly score at the threshold, or a framing 400). */
  ringfenceBlocked: number;
  ringfenceBenignFlagged: number;
  ringfenceBenignBlocked: number;
  /** ModSecurity + CRS 3.3 answers 403 (or nginx 400); it cannot say which category. */
  modsecurityBlocked?: number;
  modsecurityBenignBlocked?: number;
}

/**
 * The cases a paranoia-1 comparison counts: level-1 attacks and every benign case except those
 * that carry the bytes of a level-1 attack (the corpus asks both to block and to pass them).
 */
export function crsComparableCases(): CrsCase[] {
  const { cases } = loadCrsCases();
  const twins = levelOneTwins(cases);
  return cases.filter((c) => (c.attack ? c.paranoia === 1 : !twins.has(c.name)));
}

/** Whether our WAF refuses the exact bytes: a framing problem or a blocking score. */
function ringfenceBlocks(compiled: ReturnType<typeof compileProfiles>, bytes: Uint8Array) {
  const { request, detections } = parseRawRequest(bytes);
  return (
    detections.length > 0 ||
    inspectRequest(compiled, request, { framing: detections }).action === "block"
  );
}

/** Sends every case to ModSecurity, a few at a time, and returns the blocked case names. */
async function modsecurityBlocked(port: number, cases: CrsCase[]): Promise<Set<string>> {
  const blocked = new Set<string>();
  let next = 0;
  const worker = async () => {
    for (let c = cases[next++]; c; c = cases[next++]) {
      const status = await sendRaw(port, c.bytes);
      if (status === 403 || status === 400) blocked.add(c.name);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return blocked;
}

/**
 * Runs the CRS regression corpus through Ringfence (in process) and, when a ModSecurity port
 * is given, through nginx + ModSecurity + CRS 3.3 at paranoia 1, per CRS rule file.
 */
export async function crsSideBySide(modsecurityPort: number | undefined): Promise<CrsSide[]> {
  const cases = crsComparableCases();
  const compiled = compileProfiles(defaultProfiles({ paranoia: 1 }));
  const tallies = evaluateCrs(cases, 1);
  const theirs =
    modsecurityPort === undefined ? undefined : await modsecurityBlocked(modsecurityPort, cases);
  const rows = new Map<string, CrsSide>();
  for (const c of cases) {
    const tally = tallies.get(c.file);
    const row = rows.get(c.file) ?? {
      file: c.file,
      attacks: tally?.attacks ?? 0,
      benign: tally?.benign ?? 0,
      ringfenceDetected: tally?.detected ?? 0,
      ringfenceBenignFlagged: tally?.flagged ?? 0,
      ringfenceBlocked: 0,
      ringfenceBenignBlocked: 0,
      ...(theirs ? { modsecurityBlocked: 0, modsecurityBenignBlocked: 0 } : {}),
    };
    rows.set(c.file, row);
    const ours = ringfenceBlocks(compiled, c.bytes);
    const other = theirs?.has(c.name) ?? false;
    if (c.attack) {
      if (ours) row.ringfenceBlocked++;
      if (other && row.modsecurityBlocked !== undefined) row.modsecurityBlocked++;
    } else {
      if (ours) row.ringfenceBenignBlocked++;
      if (other && row.modsecurityBenignBlocked !== undefined) row.modsecurityBenignBlocked++;
    }
  }
  return [...rows.values()].sort((a, b) => a.file.localeCompare(b.file));
}
