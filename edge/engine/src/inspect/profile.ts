import { z } from "zod";
import { BUILTIN_DETECTORS } from "./dlp/builtin.ts";
import { signatureSchema, suppressionSchema } from "./ips.ts";
import { BUILTIN_SIGNATURES } from "./ips-signatures.ts";

const exclusionSchema = z.object({
  path: z.string().optional(),
  location: z.string().optional(),
  rule: z.string().optional(),
});

const wafProfileSchema = z.object({
  kind: z.literal("waf"),
  id: z.string().min(1),
  paranoia: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(1),
  threshold: z.number().int().min(1).default(5),
  mode: z.enum(["block", "monitor"]).default("block"),
  exclusions: z.array(exclusionSchema).default([]),
  disabledRules: z.array(z.string()).default([]),
});

const ipsProfileSchema = z.object({
  kind: z.literal("ips"),
  id: z.string().min(1),
  builtin: z.boolean().default(true),
  signatures: z.array(signatureSchema).default([]),
  suppressions: z.array(suppressionSchema).default([]),
});

const dlpDetectorSchema = z.object({
  detector: z.string().min(1),
  /** A customer regex (RE2 syntax, linear time); absent for built-in detectors. */
  pattern: z.string().optional(),
  caseInsensitive: z.boolean().default(false),
  action: z.enum(["log", "block", "redact"]).default("log"),
  threshold: z.number().int().min(1).default(1),
});

const dlpProfileSchema = z.object({
  kind: z.literal("dlp"),
  id: z.string().min(1),
  directions: z.array(z.enum(["request", "response"])).default(["response"]),
  detectors: z.array(dlpDetectorSchema).min(1),
});

const malwareProfileSchema = z.object({
  kind: z.literal("malware"),
  id: z.string().min(1),
  sha256Blocklist: z
    .array(z.string().regex(/^[0-9a-fA-F]{64}$/, "a SHA-256 is 64 hex digits"))
    .default([]),
  maxEntries: z.number().int().min(1).default(1000),
  maxEntrySize: z
    .number()
    .int()
    .min(1)
    .default(16 << 20),
  maxRatio: z.number().min(1).default(100),
});

/** One inspection profile: WAF, IPS, DLP or malware. */
export const inspectionProfileSchema = z.discriminatedUnion("kind", [
  wafProfileSchema,
  ipsProfileSchema,
  dlpProfileSchema,
  malwareProfileSchema,
]);
export type InspectionProfile = z.infer<typeof inspectionProfileSchema>;
export type InspectionProfileInput = z.input<typeof inspectionProfileSchema>;

/** A file of profiles, as read by the CLI and stored in bundles. */
export const inspectionProfilesSchema = z.array(inspectionProfileSchema);

/** The default set: WAF at the given paranoia, the built-in IPS signatures, DLP and malware. */
export function defaultProfiles(
  options: { paranoia?: 1 | 2 | 3 | 4; mode?: "block" | "monitor" } = {},
): InspectionProfile[] {
  return inspectionProfilesSchema.parse([
    {
      kind: "waf",
      id: "default-waf",
      paranoia: options.paranoia ?? 1,
      mode: options.mode ?? "block",
    },
    { kind: "ips", id: "default-ips", builtin: true },
    {
      kind: "dlp",
      id: "default-dlp",
      detectors: BUILTIN_DETECTORS.map((detector) => ({
        detector,
        action: detector === "email" ? "log" : "block",
        threshold: detector === "email" ? 20 : 1,
      })),
    },
    { kind: "malware", id: "default-malware" },
  ]);
}

export { BUILTIN_SIGNATURES };
