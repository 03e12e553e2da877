import { z } from "zod";
import { parseDocument } from "../documents/errors.ts";

const id = z.string().min(1).max(160);
const portRange = z.tuple([z.number().int().min(0).max(65535), z.number().int().min(0).max(65535)]);

/** Host name membership: any `include` pattern matches and no `exclude` pattern does. */
export const hostTermSchema = z.strictObject({
  include: z.array(z.string().min(1)),
  exclude: z.array(z.string().min(1)),
});

export const resolvedObjectSchema = z.strictObject({
  id,
  kind: z.enum(["static", "dynamic", "fqdn", "group", "builtin"]),
  prefixes: z.array(z.string().min(1)),
  hosts: z.array(hostTermSchema),
});

export const hostFormSchema = z.strictObject({
  form: z.string().min(1),
  host: z.string().min(1),
  pathPrefix: z.string().startsWith("/").nullable(),
});

export const resolvedServiceSchema = z.strictObject({
  id,
  kind: z.enum(["s3", "azure_storage", "gcs", "fqdn"]),
  ports: z.array(portRange).nullable(),
  forms: z.array(hostFormSchema).min(1),
});

export const resolvedRuleSchema = z.strictObject({
  id,
  name: z.string().nullable(),
  sources: z.array(id).nullable(),
  destinations: z.array(z.strictObject({ type: z.enum(["object", "service"]), id })).nullable(),
  ports: z.array(portRange).nullable(),
  action: z.enum(["allow", "deny"]),
  mode: z.enum(["forwarding", "proxy"]),
  profiles: z.array(id),
  monitor: z.boolean(),
});

export const resolvedRuleSetSchema = z.strictObject({
  id,
  defaultAction: z.enum(["allow", "deny", "next"]),
  rules: z.array(resolvedRuleSchema),
});

/**
 * The resolved policy: the payload of a signed bundle. Plain JSON, strict, and
 * self-contained; every reference in a rule names an object, service or profile in it.
 */
export const resolvedPolicySchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    objects: z.array(resolvedObjectSchema),
    services: z.array(resolvedServiceSchema),
    ruleSets: z.array(resolvedRuleSetSchema).min(1),
    profiles: z.array(z.looseObject({ id, kind: z.enum(["waf", "ips", "dlp", "malware"]) })),
  })
  .superRefine((policy, ctx) => {
    const objects = new Set(policy.objects.map((o) => o.id));
    const services = new Set(policy.services.map((s) => s.id));
    policy.ruleSets.forEach((set, s) => {
      set.rules.forEach((rule, r) => {
        const at = ["ruleSets", s, "rules", r];
        rule.sources?.forEach((source, i) => {
          if (!objects.has(source))
            ctx.addIssue({
              code: "custom",
              path: [...at, "sources", i],
              message: "unknown object",
            });
        });
        rule.destinations?.forEach((d, i) => {
          const known = d.type === "object" ? objects.has(d.id) : services.has(d.id);
          if (!known)
            ctx.addIssue({
              code: "custom",
              path: [...at, "destinations", i],
              message: `unknown ${d.type}`,
            });
        });
      });
    });
    const last = policy.ruleSets[policy.ruleSets.length - 1];
    if (last?.defaultAction === "next") {
      ctx.addIssue({
        code: "custom",
        path: ["ruleSets", policy.ruleSets.length - 1, "defaultAction"],
        message: 'the last rule set cannot default to "next"',
      });
    }
  });

export type HostTerm = z.output<typeof hostTermSchema>;
export type ResolvedObject = z.output<typeof resolvedObjectSchema>;
export type ResolvedService = z.output<typeof resolvedServiceSchema>;
export type ResolvedRule = z.output<typeof resolvedRuleSchema>;
export type ResolvedRuleSet = z.output<typeof resolvedRuleSetSchema>;
export type ResolvedPolicy = z.output<typeof resolvedPolicySchema>;
export type PortRange = z.output<typeof portRange>;

/** Parses a bundle payload strictly; throws DocumentError naming every problem by path. */
export function parseResolvedPolicy(input: unknown): ResolvedPolicy {
  return parseDocument(resolvedPolicySchema, "resolved policy", input);
}
