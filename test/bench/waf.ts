import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  compileProfiles,
  defaultProfiles,
  inspectRequest,
  parseRawRequest,
} from "@ringfence/engine/inspect";
import { WORKSPACE_ROOT } from "../waf/crs-corpus.ts";
import { loadWafCorpus, type WafCase } from "../waf/labelled-corpus.ts";
import { customPatternLinearity, dlpThroughput } from "./waf-dlp.ts";
import { modSecurityAvailable, sendRaw, startModSecurity } from "./waf-modsec.ts";

type Rates = Record<string, { cases: number; hits: number }>;

function tally(rates: Rates, key: string, hit: boolean): void {
  const r = rates[key] ?? { cases: 0, hits: 0 };
  r.cases++;
  if (hit) r.hits++;
  rates[key] = r;
}

function ringfence(cases: WafCase[]): { attacks: Rates; benign: Rates } {
  const compiled = compileProfiles(defaultProfiles());
  const attacks: Rates = {};
  const benign: Rates = {};
  for (const c of cases) {
    const { request, detections } = parseRawRequest(c.bytes);
    const found = inspectRequest(compiled, request, { framing: detections }).detections;
    if (c.label === "attack")
      tally(
        attacks,
        c.category,
        found.some((d) => d.category === c.category),
      );
    else tally(benign, c.category, found.length > 0);
  }
  return { attacks, benign };
}

async function modSecurity(cases: WafCase[]): Promise<{ attacks: Rates; benign: Rates } | string> {
  if (!modSecurityAvailable())
    return "nginx/ModSecurity/CRS packages not installed (apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs)";
  const modsec = await startModSecurity(1);
  try {
    const attacks: Rates = {};
    const benign: Rates = {};
    for (const c of cases) {
      const status = await sendRaw(modsec.port, c.bytes);
      const blocked = status === 403 || status === 400;
      if (c.label === "attack") tally(attacks, c.category, blocked);
      else tally(benign, c.category, blocked);
    }
    return { attacks, benign };
  } finally {
    await modsec.stop();
  }
}

const pct = (r: { cases: number; hits: number } | undefined) =>
  r ? `${((100 * r.hits) / r.cases).toFixed(0)}% (${r.hits}/${r.cases})` : "-";

async function main(): Promise<void> {
  const cases = loadWafCorpus();
  const ours = ringfence(cases);
  const theirs = await modSecurity(cases);
  console.log("detection per category (our corpus)   ringfence          modsecurity+crs3 PL1");
  for (const category of Object.keys(ours.attacks).sort()) {
    const other = typeof theirs === "string" ? undefined : theirs.attacks[category];
    console.log(`  ${category.padEnd(22)} ${pct(ours.attacks[category]).padEnd(18)} ${pct(other)}`);
  }
  console.log("false positives per benign kind");
  for (const kind of Object.keys(ours.benign).sort()) {
    const other = typeof theirs === "string" ? undefined : theirs.benign[kind];
    console.log(`  ${kind.padEnd(22)} ${pct(ours.benign[kind]).padEnd(18)} ${pct(other)}`);
  }
  if (typeof theirs === "string") console.log(`modsecurity: skipped — ${theirs}`);

  const dlp = dlpThroughput();
  console.log(
    `dlp built-ins ${dlp.builtinMBps.toFixed(1)} MB/s vs combined RegExp ${dlp.regexpMBps.toFixed(1)} MB/s: ${dlp.ratio.toFixed(1)}x`,
  );
  const linear = customPatternLinearity();
  for (const l of linear)
    console.log(
      `custom pattern ${l.pattern}: ${l.slopeNsPerByte.toFixed(1)} ns/byte, quadratic share at 1 MB ${(100 * l.quadraticShare).toFixed(2)}%, scaling exponent 256K→1M ${l.exponent.toFixed(2)}`,
    );

  const out = join(WORKSPACE_ROOT, "bench-results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "waf.json"),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), ringfence: ours, modsecurity: theirs, dlp, customPatterns: linear }, null, 2)}\n`,
  );
  console.log(`wrote ${join("bench-results", "waf.json")}`);
}

await main();
