import { quantile, round } from "./stats.ts";

/** One benchmark's outcome in the report. */
export interface BenchOutcome {
  name: string;
  status: "ok" | "failed" | "missing";
  seconds: number;
  /** Why it failed, in one line. */
  reason?: string;
  /** Figures picked from its JSON: every ratio, percentile and goal flag it wrote. */
  figures: Record<string, number | boolean | string>;
  goal?: { text: string; met: boolean | "unknown" };
}

const INTERESTING =
  /ratio|median|p50|p99|met|aa|spread|rps|detect|ms$|persecond|mib$|seconds$|rowswritten/i;

/** What names a row of an array of results (a request shape, a benchmark case). */
const ROW_NAMES = ["shape", "name", "id"];

/**
 * Flattens `value` into dotted paths, keeping only figures a reader compares. Rows of an array
 * are named by their `shape`, `name` or `id`; an array of numbers (repeated timings) reads as
 * its median.
 */
export function pickFigures(value: unknown, prefix = ""): BenchOutcome["figures"] {
  const out: BenchOutcome["figures"] = {};
  if (value === null) return out;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === "number")) {
      return INTERESTING.test(prefix) ? { [`${prefix}.median`]: round(quantile(value, 0.5)) } : out;
    }
    for (const row of value) {
      if (typeof row !== "object" || row === null) continue;
      const record = row as Record<string, unknown>;
      const key = ROW_NAMES.find((name) => typeof record[name] === "string");
      if (key === undefined) continue;
      const { [key]: label, ...rest } = record;
      Object.assign(out, pickFigures(rest, `${prefix}.${String(label)}`));
    }
    return out;
  }
  if (typeof value === "object") {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (key === "samples") continue;
      Object.assign(out, pickFigures(inner, prefix ? `${prefix}.${key}` : key));
    }
    return out;
  }
  if (!INTERESTING.test(prefix)) return out;
  if (typeof value === "number") out[prefix] = round(value);
  if (typeof value === "boolean") out[prefix] = value;
  return out;
}

/** The report as Markdown: a summary table with goals beside figures, then every figure. */
export function renderMarkdown(outcomes: BenchOutcome[], startedAt: string): string {
  const lines = [
    "# Ringfence benchmark report",
    "",
    `Run started ${startedAt}. Every figure comes from this run; ratios divide by a reference`,
    "measured in the same run. Absolute figures depend on the machine and its load.",
    "",
    "| benchmark | status | seconds | goal | met |",
    "| --- | --- | --- | --- | --- |",
    ...outcomes.map(
      (o) =>
        `| ${o.name} | ${o.status}${o.reason ? `: ${o.reason}` : ""} | ${round(o.seconds)} | ${
          o.goal?.text ?? "—"
        } | ${o.goal ? String(o.goal.met) : "—"} |`,
    ),
    "",
  ];
  for (const outcome of outcomes) {
    const entries = Object.entries(outcome.figures);
    if (entries.length === 0) continue;
    lines.push(`## ${outcome.name}`, "", "| figure | value |", "| --- | --- |");
    for (const [key, value] of entries) lines.push(`| ${key} | ${value} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

type Tally = Record<string, { cases?: number; hits?: number }>;

function hits(tally: unknown): number {
  if (typeof tally !== "object" || tally === null) return Number.NaN;
  return Object.values(tally as Tally).reduce((sum, c) => sum + (c.hits ?? 0), 0);
}

/**
 * Detection figures from waf.json, when it carries per-category tallies for both engines:
 * attacks caught and benign requests wrongly blocked, ours and ModSecurity+CRS's.
 */
export function wafDetection(raw: unknown): BenchOutcome["figures"] {
  if (typeof raw !== "object" || raw === null) return {};
  const doc = raw as Record<string, { attacks?: unknown; benign?: unknown } | undefined>;
  const ours = doc.ringfence;
  const theirs = doc.modsecurity;
  if (!ours || !theirs) return {};
  return {
    "detection.ringfence.attacksCaught": hits(ours.attacks),
    "detection.modsecurity.attacksCaught": hits(theirs.attacks),
    "detection.ringfence.benignBlocked": hits(ours.benign),
    "detection.modsecurity.benignBlocked": hits(theirs.benign),
  };
}
