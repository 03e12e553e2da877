import {
  compileProfiles,
  defaultProfiles,
  inspectRequest,
  parseRawRequest,
} from "@ringfence/engine/inspect";
import { loadCrsCases } from "./crs-corpus.ts";

/*
 * Prints every benign case of the CRS corpus that Ringfence flags at paranoia level 1: case,
 * CRS rule, our detections (id, category, where, what matched) and the request line, so each
 * flag can be judged by hand. Run: `pnpm exec tsx test/waf/crs-flags.ts` at the root.
 */
const { cases } = loadCrsCases();
const compiled = compileProfiles(defaultProfiles({ paranoia: 1 }));
let flagged = 0;
let benign = 0;
const misses: string[] = [];
for (const c of cases) {
  const { request, detections: framing } = parseRawRequest(c.bytes);
  const { detections } = inspectRequest(compiled, request, { framing });
  if (c.attack) {
    const hit = detections.some((d) => c.categories.includes(d.category) || framing.length > 0);
    if (c.paranoia === 1 && !hit) misses.push(c.name);
    continue;
  }
  benign++;
  if (detections.length === 0) continue;
  flagged++;
  const head = Buffer.from(c.bytes).toString("latin1").split("\r\n")[0]?.slice(0, 160);
  console.log(`${c.name} (file ${c.file}, PL${c.paranoia}) ${JSON.stringify(head)}`);
  for (const d of detections) console.log(`  ${JSON.stringify(d)}`.slice(0, 400));
}
console.log(`level-1 attacks missed: ${misses.join(" ")}`);
console.log(`benign flagged ${flagged}/${benign} (${((100 * flagged) / benign).toFixed(1)}%)`);
