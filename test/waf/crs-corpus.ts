import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

/** The workspace root, found from this file so tests run from any directory. */
export const WORKSPACE_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The shared CRS regression corpus, read in place (never copied into the project). */
export const CRS_ROOT = join(WORKSPACE_ROOT, "..", "shared", "corpora", "crs-regression");

/** The Ringfence categories a CRS rule file maps to; docs/engine/crs-map.md explains each. */
export const CRS_FILE_CATEGORIES: Record<string, string[]> = {
  "920": ["protocol"],
  "921": ["protocol"],
  "922": ["protocol"],
  "930": ["lfi"],
  "931": ["rfi", "ssrf"],
  "932": ["rce"],
  "933": ["php"],
  "934": ["ssrf", "prototype-pollution", "node-injection", "ruby-injection", "ssti", "rfi"],
  "941": ["xss"],
  "942": ["sqli"],
  "943": ["session-fixation"],
  "944": ["java"],
};

const inputSchema = z.object({
  method: z.string().optional(),
  uri: z.string().optional(),
  version: z.string().optional(),
  headers: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  data: z.union([z.string(), z.array(z.string())]).optional(),
  encoded_request: z.string().optional(),
  autocomplete_headers: z.boolean().optional(),
});
const outputSchema = z.object({
  status: z.union([z.number(), z.array(z.number())]).optional(),
  log: z
    .object({
      expect_ids: z.array(z.number()).optional(),
      no_expect_ids: z.array(z.number()).optional(),
    })
    .optional(),
});
const stageSchema = z.object({
  input: inputSchema.optional(),
  output: outputSchema.optional(),
  stage: z.object({ input: inputSchema, output: outputSchema }).optional(),
});
const fileSchema = z.object({
  rule_id: z.number(),
  tests: z.array(z.object({ test_id: z.number().optional(), stages: z.array(stageSchema) })),
});
const levelsSchema = z.record(
  z.string(),
  z.object({ paranoia_level: z.number(), file: z.string() }),
);

/** One corpus case: exact bytes plus what CRS expects of them. */
export interface CrsCase {
  name: string;
  ruleId: number;
  file: string;
  paranoia: number;
  /** The Ringfence categories that should detect it, when it is an attack. */
  categories: string[];
  attack: boolean;
  bytes: Uint8Array;
}

type StageInput = z.infer<typeof inputSchema>;

/** Serialises a go-ftw input as go-ftw would send it (defaults, Content-Length, Connection). */
export function ftwRequestBytes(input: StageInput): Uint8Array {
  if (input.encoded_request) return Uint8Array.from(Buffer.from(input.encoded_request, "base64"));
  const data = Array.isArray(input.data) ? input.data.join("\r\n") : (input.data ?? "");
  const headers = Object.entries(input.headers ?? {}).map(([k, v]) => [k, String(v)] as const);
  const names = new Set(headers.map(([k]) => k.toLowerCase()));
  const lines = [`${input.method ?? "GET"} ${input.uri ?? "/"} ${input.version ?? "HTTP/1.1"}`];
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  if (input.autocomplete_headers !== false) {
    if (data !== "" && !names.has("content-length") && !names.has("transfer-encoding")) {
      lines.push(`Content-Length: ${Buffer.byteLength(data)}`);
    }
    if (!names.has("connection")) lines.push("Connection: close");
    // go-ftw sends form bodies as urlencoded when a test names no Content-Type; CRS's own
    // benign cases rely on it, since CRS flags a body without a type at paranoia level 1.
    if (data !== "" && !names.has("content-type"))
      lines.push("Content-Type: application/x-www-form-urlencoded");
  }
  return new Uint8Array(Buffer.from(`${lines.join("\r\n")}\r\n\r\n${data}`, "utf8"));
}

/** Loads every case of the corpus; a file that does not parse is reported, never skipped silently. */
export function loadCrsCases(): { cases: CrsCase[]; errors: string[] } {
  const levels = levelsSchema.parse(
    JSON.parse(readFileSync(join(CRS_ROOT, "rule-paranoia-levels.json"), "utf8")),
  );
  const cases: CrsCase[] = [];
  const errors: string[] = [];
  for (const dir of readdirSync(CRS_ROOT).filter((d) => d.startsWith("REQUEST-"))) {
    const fileId = dir.slice(8, 11);
    for (const name of readdirSync(join(CRS_ROOT, dir)).filter((f) => f.endsWith(".yaml"))) {
      const parsed = fileSchema.safeParse(parse(readFileSync(join(CRS_ROOT, dir, name), "utf8")));
      if (!parsed.success) {
        errors.push(`${dir}/${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
        continue;
      }
      const doc = parsed.data;
      const paranoia = levels[String(doc.rule_id)]?.paranoia_level ?? 0;
      for (const [ti, test] of doc.tests.entries()) {
        for (const stage of test.stages) {
          const input = stage.input ?? stage.stage?.input;
          const output = stage.output ?? stage.stage?.output;
          if (!input || !output) continue;
          const attack = (output.log?.expect_ids?.length ?? 0) > 0 || output.status === 400;
          const benign = (output.log?.no_expect_ids?.length ?? 0) > 0 && !attack;
          if (!attack && !benign) continue;
          const categories = CRS_FILE_CATEGORIES[fileId] ?? [];
          cases.push({
            name: `${doc.rule_id}-${test.test_id ?? ti + 1}`,
            ruleId: doc.rule_id,
            file: fileId,
            paranoia,
            categories,
            attack,
            bytes: ftwRequestBytes(input),
          });
        }
      }
    }
  }
  return { cases, errors };
}
