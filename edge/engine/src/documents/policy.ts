import { z } from "zod";
import { parseDocument } from "./errors.ts";

/** Object and service ids: stable, printable, and never in the reserved `builtin:` namespace. */
const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "ids are 1-128 letters, digits, _ . : -");
const userId = id.refine((value) => !value.startsWith("builtin:"), {
  message: 'ids starting with "builtin:" are reserved',
});
const reference = id;
const port = z.number().int().min(0).max(65535);
const portRange = z.string().regex(/^[0-9]{1,5}-[0-9]{1,5}$/, 'port ranges are written "low-high"');
const portSpec = z.union([port, portRange]);
const scope = z.strictObject({
  accounts: z.array(z.string().min(1)).min(1).optional(),
  regions: z.array(z.string().min(1)).min(1).optional(),
  vpcs: z.array(z.string().min(1)).min(1).optional(),
});

/** Address objects: the nouns rules speak about. */
export const addressObjectSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    id: userId,
    kind: z.literal("static"),
    description: z.string().optional(),
    addresses: z.array(z.string()).min(1),
  }),
  z.strictObject({
    id: userId,
    kind: z.literal("dynamic"),
    description: z.string().optional(),
    selector: z.string().min(1),
    scope: scope.optional(),
    addressTypes: z
      .array(z.enum(["private", "public"]))
      .min(1)
      .optional(),
  }),
  z.strictObject({
    id: userId,
    kind: z.literal("fqdn"),
    description: z.string().optional(),
    fqdns: z.array(z.string()).min(1),
  }),
  z.strictObject({
    id: userId,
    kind: z.literal("group"),
    description: z.string().optional(),
    include: z.array(reference).min(1),
    exclude: z.array(reference).optional(),
  }),
]);

const servicePorts = z.array(portSpec).min(1).optional();

/** Service objects: destinations described by what they are rather than by address. */
export const serviceObjectSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    id: userId,
    kind: z.literal("s3"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "not a valid S3 bucket name"),
    region: z
      .string()
      .regex(/^[a-z]{2}(?:-[a-z]+)+-[0-9]+$/, "not an AWS region")
      .optional(),
    vpcEndpoints: z
      .array(z.string().regex(/^vpce-[a-z0-9-]+$/, "not a VPC endpoint id"))
      .optional(),
    ports: servicePorts,
  }),
  z.strictObject({
    id: userId,
    kind: z.literal("azure_storage"),
    account: z.string().regex(/^[a-z0-9]{3,24}$/, "not a valid storage account name"),
    endpoints: z
      .array(z.enum(["blob", "file", "queue", "table", "dfs", "web"]))
      .min(1)
      .optional(),
    ports: servicePorts,
  }),
  z.strictObject({
    id: userId,
    kind: z.literal("gcs"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, "not a valid GCS bucket name"),
    ports: servicePorts,
  }),
  z.strictObject({
    id: userId,
    kind: z.literal("fqdn"),
    hosts: z.array(z.string()).min(1),
    ports: servicePorts,
    pathPrefixes: z
      .array(z.string().startsWith("/", "path prefixes start with /"))
      .min(1)
      .optional(),
  }),
]);

/** One rule: first match wins within the ordered rules of a rule set. */
export const ruleSchema = z.strictObject({
  id: userId,
  name: z.string().optional(),
  sources: z
    .array(reference)
    .min(1, "list at least one source, or omit the field for any")
    .optional(),
  destinations: z
    .array(reference)
    .min(1, "list at least one destination, or omit the field for any")
    .optional(),
  ports: z.array(portSpec).min(1).optional(),
  action: z.enum(["allow", "deny"]),
  mode: z.enum(["forwarding", "proxy"]).default("forwarding"),
  profiles: z.array(reference).default([]),
  monitor: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

/** An ordered list of rules with an explicit default; `next` falls through to the next set. */
export const ruleSetSchema = z.strictObject({
  id: userId,
  name: z.string().optional(),
  defaultAction: z.enum(["allow", "deny", "next"]),
  rules: z.array(ruleSchema),
});

/** Inspection profile by reference; its body belongs to the inspection engine's schema. */
export const profileRefSchema = z.looseObject({
  id: userId,
  kind: z.enum(["waf", "ips", "dlp", "malware"]),
});

/** The canonical policy document, version 1. Reference checks happen in resolvePolicy. */
export const policySchema = z.strictObject({
  schemaVersion: z.literal(1),
  objects: z.array(addressObjectSchema).default([]),
  services: z.array(serviceObjectSchema).default([]),
  ruleSets: z.array(ruleSetSchema).min(1, "a policy needs at least one rule set"),
  profiles: z.array(profileRefSchema).default([]),
});

export type AddressObject = z.output<typeof addressObjectSchema>;
export type ServiceObject = z.output<typeof serviceObjectSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type RuleSet = z.output<typeof ruleSetSchema>;
export type ProfileRef = z.output<typeof profileRefSchema>;
export type Policy = z.output<typeof policySchema>;
/** The policy as written, before defaults are filled in. */
export type PolicyInput = z.input<typeof policySchema>;

/** Validates a policy document (already parsed from JSON or YAML); throws DocumentError. */
export function parsePolicy(input: unknown): Policy {
  return parseDocument(policySchema, "policy", input);
}
