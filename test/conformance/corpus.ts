/**
 * The shared conformance corpus: (policy, inventory, request) → expected decision, in JSON.
 * Three runners read it — the engine in Node, the Node gateway through its real proxy, and the
 * edge worker in workerd — and must all reach the expected outcome. This module only parses
 * and compares; it reads no files, so it runs in workerd and Node alike.
 */
import {
  type CompiledProfiles,
  compileProfiles,
  createBodyScanner,
  type InspectionProfileInput,
  inspectRequest,
} from "@ringfence/engine/inspect";
import { buildIndex, decide, type ResolvedPolicy } from "@ringfence/engine/policy";
import { z } from "zod";

const requestSchema = z.strictObject({
  srcIp: z.string().min(1),
  method: z.string().regex(/^[A-Z]{1,16}$/),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().default(""),
});

const expectSchema = z.strictObject({
  action: z.enum(["allow", "deny"]),
  /** The deciding rule; null when the rule set's default decided. */
  ruleId: z.string().nullable(),
  /** Detection ids that must be among those reported when inspection blocks. */
  detections: z.array(z.string()).default([]),
});

/** What the protected origin answers; without it each runner's origin echoes the request. */
const originSchema = z.strictObject({
  status: z.int().min(200).max(599).default(200),
  contentType: z.string().min(1).default("text/plain"),
  body: z.string(),
});

const caseSchema = z.strictObject({
  name: z.string().min(1),
  /**
   * `signed`: the enforcer holds the file's policy as a verified bundle. `none`: it never
   * verified one, so it must fail closed (an enforcer's state, which the engine alone lacks).
   */
  bundle: z.enum(["signed", "none"]).default("signed"),
  request: requestSchema,
  origin: originSchema.optional(),
  expect: expectSchema,
});

/** One corpus file: the documents it uses (file names under documents/) and its cases. */
export const corpusFileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  policy: z.string().regex(/^[a-z0-9-]+\.json$/),
  inventory: z.string().regex(/^[a-z0-9-]+\.json$/),
  cases: z.array(caseSchema).min(1),
});

export type CorpusFile = z.output<typeof corpusFileSchema>;
export type CorpusCase = z.output<typeof caseSchema>;
export type CorpusRequest = CorpusCase["request"];
export type CorpusOrigin = NonNullable<CorpusCase["origin"]>;

/** What an enforcer did with one request, in the terms the corpus compares. */
export interface Outcome {
  action: "allow" | "deny";
  ruleId: string | null;
  detections: string[];
}

/** Parses a corpus file, naming the file and the path of the first problem. */
export function parseCorpusFile(fileName: string, input: unknown): CorpusFile {
  const result = corpusFileSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${fileName}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

/** The flow an edge enforcer derives from a request: Host and scheme port, path with query. */
export function flowOfRequest(request: CorpusRequest) {
  const url = new URL(request.url);
  return {
    srcIp: request.srcIp,
    dstHost: url.hostname,
    dstPort: url.protocol === "https:" ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    method: request.method,
  };
}

/**
 * Runner (a): the engine alone, deciding and inspecting exactly as an edge enforcer would: the
 * request before it goes to the origin, then the origin's answer (when the case gives one)
 * through the response body scanner.
 */
export async function engineOutcome(
  policy: ResolvedPolicy,
  testCase: CorpusCase,
): Promise<Outcome> {
  const { request } = testCase;
  const decision = decide(buildIndex(policy), flowOfRequest(request));
  const ruleId = decision.ruleId ?? null;
  if (decision.action === "deny" || decision.mode !== "proxy" || decision.profiles.length === 0) {
    return { action: decision.action, ruleId, detections: [] };
  }

  const wanted = new Set(decision.profiles);
  // The bundle carries profiles as loose objects; compileProfiles validates them itself.
  const chosen = policy.profiles.filter((p) => wanted.has(p.id)) as InspectionProfileInput[];
  const profiles = compileProfiles(chosen);
  const url = new URL(request.url);
  const result = inspectRequest(profiles, {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    headers: [["host", url.host], ...Object.entries(request.headers)],
    body: new TextEncoder().encode(request.body),
    sourceIp: request.srcIp,
  });
  const blocking = result.detections.filter((d) => d.action === "block").map((d) => d.id);
  if (result.action === "block") return { action: "deny", ruleId, detections: blocking };

  const answered = testCase.origin ? await scanOriginAnswer(profiles, testCase.origin) : [];
  return answered.length > 0
    ? { action: "deny", ruleId, detections: answered }
    : { action: "allow", ruleId, detections: [] };
}

/** The ids of blocking detections in the origin's answer, scanned as one chunk. */
async function scanOriginAnswer(profiles: CompiledProfiles, origin: CorpusOrigin) {
  const scanner = createBodyScanner(profiles, "response");
  const first = scanner.push(new TextEncoder().encode(origin.body));
  const last = await scanner.finish();
  return [...first.detections, ...last.detections]
    .filter((d) => d.action === "block")
    .map((d) => d.id);
}

/**
 * Compares an outcome with the expectation; returns a description of every difference (empty
 * when they agree). Expected detections must be present; others may be reported too, since
 * one attack often trips several rules.
 */
export function differences(expected: CorpusCase["expect"], actual: Outcome): string[] {
  const found: string[] = [];
  if (expected.action !== actual.action) {
    found.push(`action: expected ${expected.action}, got ${actual.action}`);
  }
  if (expected.ruleId !== actual.ruleId) {
    found.push(`ruleId: expected ${expected.ruleId}, got ${actual.ruleId}`);
  }
  for (const id of expected.detections) {
    if (!actual.detections.includes(id)) {
      found.push(`detection ${id} missing (got ${actual.detections.join(", ") || "none"})`);
    }
  }
  return found;
}
