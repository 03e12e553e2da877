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
import { type CrsSide, crsSideBySide } from "./waf-crs-side.ts";
import { customPatternLinearity, dlpThroughput } from "./waf-dlp.ts";
import { modSecurityAvailable, sendRaw, startModSecurity } from "./waf-modsec.ts";
import { type WafRpsResult, wafRequestsPerSecond } from "./waf-rps.ts";

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

const MISSING =
  "nginx/ModSecurity/CRS packages not installed (apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs)";

type Side = { attacks: Rates; benign: Rates };

/** Our labelled corpus and the CRS corpus through one nginx + ModSecurity + CRS 3.3 at PL1. */
async function modSecurity(cases: WafCase[]): Promise<{ ours: Side; crs: CrsSide[] } | string> {
  if (!modSecurityAvailable()) return MISSING;
  const modsec = await startModSecurity({ paranoia: 1 });
  try {
    const attacks: Rates = {};
    const benign: Rates = {};
    for (const c of cases) {
      const status = await sendRaw(modsec.port, c.bytes);
      const blocked = status === 403 || status === 400;
      if (c.label === "attack") tally(attacks, c.category, blocked);
      else tally(benign, c.category, blocked);
    }
    return { ours: { attacks, benign }, crs: await crsSideBySide(modsec.port) };
  } finally {
    await modsec.stop();
  }
}

const pct = (r: { cases: number; hits: number } | undefined) =>
  r ? `${((100 * r.hits) / r.cases).toFixed(0)}% (${r.hits}/${r.cases})` : "-";

const ratio = (hits: number, cases: number) =>
  cases ? `${((100 * hits) / cases).toFixed(1)}% (${hits}/${cases})` : "-";

function printCrs(rows: CrsSide[]): void {
  console.log(
    "CRS regression corpus, PL1 (attacks: level-1 rules; ours by category / ours blocked / ModSecurity blocked)",
  );
  const sum = (k: keyof CrsSide) => rows.reduce((n, r) => n + Number(r[k] ?? 0), 0);
  for (const r of [...rows, { ...rows[0], file: "all" } as CrsSide]) {
    const total = r.file === "all";
    const get = (k: keyof CrsSide) => (total ? sum(k) : Number(r[k] ?? 0));
    const theirs =
      r.modsecurityBlocked === undefined ? "-" : ratio(get("modsecurityBlocked"), get("attacks"));
    const theirFp =
      r.modsecurityBenignBlocked === undefined
        ? "-"
        : ratio(get("modsecurityBenignBlocked"), get("benign"));
    console.log(
      `  ${r.file.padEnd(4)} attacks ${ratio(get("ringfenceDetected"), get("attacks")).padEnd(18)} ${ratio(get("ringfenceBlocked"), get("attacks")).padEnd(18)} ${theirs.padEnd(18)} benign flagged ${ratio(get("ringfenceBenignFlagged"), get("benign")).padEnd(16)} blocked ${ratio(get("ringfenceBenignBlocked"), get("benign")).padEnd(16)} modsec ${theirFp}`,
    );
  }
}

function printThroughput(t: WafRpsResult | string): void {
  if (typeof t === "string") {
    console.log(`throughput: skipped — ${t}`);
    return;
  }
  for (const v of t.verdicts)
    console.log(
      `  verdict ${v.name.padEnd(16)} ringfence ${v.ringfence}  modsecurity ${v.modsecurity}`,
    );
  const fig = (name: string) => t.rounds.figures[name]?.median.toFixed(0) ?? "-";
  console.log(
    `WAF-inspected requests/s (${t.connections} connections, ${t.phaseSeconds} s phases): ringfence ${fig("ringfence")}, nginx+ModSecurity+CRS ${fig("modsecurity-crs")}; ratio ${t.ratio.toFixed(2)}x (spread ${t.rounds.ratios.ringfence?.spread.toFixed(2)}, A/A ${t.rounds.aa.median.toFixed(2)})`,
  );
}

async function main(): Promise<void> {
  const cases = loadWafCorpus();
  const ours = ringfence(cases);
  const side = await modSecurity(cases);
  const theirs = typeof side === "string" ? side : side.ours;
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
  const crs = typeof side === "string" ? await crsSideBySide(undefined) : side.crs;
  printCrs(crs);
  const throughput = modSecurityAvailable() ? await wafRequestsPerSecond() : MISSING;
  printThroughput(throughput);

  const dlp = dlpThroughput();
  console.log(
    `dlp built-ins ${dlp.builtinMBps.toFixed(1)} MB/s vs combined RegExp ${dlp.regexpMBps.toFixed(1)} MB/s (${dlp.clock}, ${dlp.builtinHits} and ${dlp.regexpHits} matches): ${dlp.ratio.toFixed(1)}x median of interleaved rounds (rounds ${dlp.ratioRange.map((r) => r.toFixed(1)).join("–")}x), ${dlp.bestRatio.toFixed(1)}x best vs best`,
  );
  const linear = customPatternLinearity();
  for (const l of linear)
    console.log(
      `custom pattern ${l.pattern}: ${l.slopeNsPerByte.toFixed(1)} ns/byte, quadratic share at 1 MB ${(100 * l.quadraticShare).toFixed(2)}%, fitted exponent 64K–1M ${l.exponent.toFixed(2)}; ns/byte per size ${l.ms.map((t, i) => ((t * 1e6) / (l.sizes[i] ?? 1)).toFixed(0)).join("/")}`,
    );

  const out = join(WORKSPACE_ROOT, "bench-results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "waf.json"),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), ringfence: ours, modsecurity: theirs, crs, throughput, ringfenceToModsecRatio: typeof throughput === "string" ? null : throughput.ratio, dlp, customPatterns: linear }, null, 2)}\n`,
  );
  console.log(`wrote ${join("bench-results", "waf.json")}`);
}

await main();
