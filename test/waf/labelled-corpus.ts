import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { WORKSPACE_ROOT } from "./crs-corpus.ts";

const wafCaseSchema = z.object({
  label: z.enum(["attack", "benign"]),
  category: z.string(),
  method: z.string(),
  target: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  // Objects stay unknown: a record schema would drop keys such as "__proto__" that we test.
  body: z.unknown(),
});
const dlpCaseSchema = z.object({
  label: z.enum(["positive", "near-miss"]),
  detector: z.string(),
  text: z.string(),
});

export type WafCase = z.infer<typeof wafCaseSchema> & { bytes: Uint8Array };
export type DlpCase = z.infer<typeof dlpCaseSchema>;

const CORPUS = join(WORKSPACE_ROOT, "test", "corpora");

/** Serialises a labelled case into the exact bytes sent to every WAF under test. */
function toBytes(c: z.infer<typeof wafCaseSchema>): Uint8Array {
  const isJson = c.body !== null && typeof c.body === "object";
  const body =
    c.body === null || c.body === undefined ? "" : isJson ? JSON.stringify(c.body) : String(c.body);
  const headers: [string, string][] = [
    ["Host", "app.example"],
    ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"],
    ["Accept", "*/*"],
    ...c.headers,
  ];
  const names = new Set(headers.map(([n]) => n.toLowerCase()));
  if (isJson && !names.has("content-type")) headers.push(["Content-Type", "application/json"]);
  if (body !== "") headers.push(["Content-Length", String(Buffer.byteLength(body, "utf8"))]);
  const head = [`${c.method} ${c.target} HTTP/1.1`, ...headers.map(([n, v]) => `${n}: ${v}`)].join(
    "\r\n",
  );
  return new Uint8Array(Buffer.from(`${head}\r\n\r\n${body}`, "utf8"));
}

/** Loads test/corpora/waf.json as raw requests. */
export function loadWafCorpus(): WafCase[] {
  const raw = z
    .array(wafCaseSchema)
    .parse(JSON.parse(readFileSync(join(CORPUS, "waf.json"), "utf8")));
  return raw.map((c) => ({ ...c, bytes: toBytes(c) }));
}

/** Loads test/corpora/dlp.json. */
export function loadDlpCorpus(): DlpCase[] {
  return z.array(dlpCaseSchema).parse(JSON.parse(readFileSync(join(CORPUS, "dlp.json"), "utf8")));
}
