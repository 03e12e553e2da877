import { z } from "@hono/zod-openapi";
import { OCSF_CLASSES } from "@ringfence/engine/ocsf";

const CLASS_UIDS = Object.values(OCSF_CLASSES);

/** A webhook secret in the Standard Webhooks form: `whsec_` then base64 of 24 to 64 bytes. */
export const WebhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, "must be whsec_ followed by base64 of 24–64 bytes");

const common = {
  name: z.string().trim().min(1).max(100),
  target: z.string().min(1).max(2048).openapi({ example: "https://siem.example/hooks/ringfence" }),
  classes: z
    .array(z.union(CLASS_UIDS.map((uid) => z.literal(uid))))
    .max(CLASS_UIDS.length)
    .default([])
    .openapi({ description: "OCSF class uids to send; empty sends all." }),
  minSeverity: z.number().int().min(0).max(6).default(0),
  includeAudit: z.boolean().default(false),
  enabled: z.boolean().default(true),
  deadLetterAfterSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  caPem: z.string().max(16_384).startsWith("-----BEGIN CERTIFICATE-----").optional(),
};

/** The body that creates an integration; which secret it needs depends on the kind. */
export const CreateIntegrationBody = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("webhook"), ...common, secret: WebhookSecret.optional() }),
  z.strictObject({ kind: z.literal("splunk_hec"), ...common, token: z.string().min(1).max(256) }),
  z.strictObject({ kind: z.literal("syslog"), ...common }),
]);
export type CreateIntegrationInput = z.infer<typeof CreateIntegrationBody>;

/** The fields that may change; the kind and secret stay (delete and recreate to change them). */
export const UpdateIntegrationBody = z
  .strictObject({
    name: common.name,
    target: common.target,
    classes: z.array(z.union(CLASS_UIDS.map((uid) => z.literal(uid)))).max(CLASS_UIDS.length),
    minSeverity: common.minSeverity,
    includeAudit: z.boolean(),
    enabled: z.boolean(),
    deadLetterAfterSeconds: common.deadLetterAfterSeconds,
  })
  .partial();
export type UpdateIntegrationInput = z.infer<typeof UpdateIntegrationBody>;
