import { z } from "zod";
import { trustedKeySchema } from "../bundle/index.ts";
import { decisionEventSchema } from "../documents/index.ts";

/**
 * The wire contract between enforcers and the control plane, shared by both sides so they parse
 * the same shapes. docs/contract.md describes every path, header and status code.
 */
export const CONTROL_PATHS = {
  register: "api/v1/enforcers/register",
  bundle: "api/v1/enforcer/bundle",
  status: "api/v1/enforcer/status",
  events: "api/v1/enforcer/events",
  credential: "api/v1/enforcer/credential",
  ca: "api/v1/enforcer/ca",
} as const;

/** The kinds of enforcer that register with the control plane. */
export const ENFORCER_KINDS = ["gateway", "worker"] as const;
export type EnforcerKind = (typeof ENFORCER_KINDS)[number];

/** Prefix of one-time registration tokens and of enforcer credentials, so leaks are scannable. */
export const REGISTRATION_TOKEN_PREFIX = "rfr_";
export const ENFORCER_CREDENTIAL_PREFIX = "rfe_";

/** The longest a bundle request may park, in seconds; the control plane clamps `wait` to it. */
export const MAX_BUNDLE_WAIT_SECONDS = 60;

/** The most events one POST may carry; larger batches are refused with 422. */
export const MAX_EVENTS_PER_BATCH = 1000;

/**
 * The largest events body to send, in bytes: the control plane's default request body limit
 * (RINGFENCE_BODY_LIMIT_BYTES); larger bodies get 413.
 */
export const MAX_EVENTS_BODY_BYTES = 1024 * 1024;

const softwareVersion = z.string().min(1).max(64);

/** Body of `POST /api/v1/enforcers/register` (the token travels in the Authorization header). */
export const registerRequestSchema = z.strictObject({
  kind: z.enum(ENFORCER_KINDS),
  softwareVersion: softwareVersion.optional(),
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

/** Answer to a registration: the enforcer's own credential, shown this once, and its trust. */
export const registerResponseSchema = z.strictObject({
  enforcerId: z.string().min(1),
  organizationId: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(ENFORCER_KINDS),
  credential: z.string().startsWith(ENFORCER_CREDENTIAL_PREFIX),
  /** When the credential stops working unless rotated first; null when it does not expire. */
  credentialExpiresAt: z.iso.datetime().nullable().optional(),
  trustedKeys: z.array(trustedKeySchema).min(1),
});
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

/** Body of `POST /api/v1/enforcer/status`, the heartbeat. */
export const statusRequestSchema = z.strictObject({
  /** The bundle version being enforced, or null before the first bundle. */
  version: z.int().positive().nullable(),
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  softwareVersion: softwareVersion.optional(),
  /** A short, human-readable note such as the last refusal reason; never secrets. */
  message: z.string().max(500).optional(),
});
export type StatusReport = z.infer<typeof statusRequestSchema>;

/** Body of `POST /api/v1/enforcer/events`. */
export const eventsRequestSchema = z.strictObject({
  events: z.array(decisionEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** Answer to an events batch: how many were new and how many had been stored before. */
export const eventsResponseSchema = z.strictObject({
  accepted: z.int().min(0),
  duplicates: z.int().min(0),
});
export type EventsReceipt = z.infer<typeof eventsResponseSchema>;

/**
 * Answer to a credential rotation: the new credential, shown this once, when it expires, and
 * until when the replaced one still works (the overlap window).
 */
export const credentialResponseSchema = z.strictObject({
  credential: z.string().startsWith(ENFORCER_CREDENTIAL_PREFIX),
  expiresAt: z.iso.datetime().nullable().optional(),
  previousValidUntil: z.iso.datetime().optional(),
});

/** The proxy-mode CA a gateway receives: certificate and PKCS#8 private key, both PEM. */
export const proxyCaResponseSchema = z.strictObject({
  certPem: z.string().min(1),
  keyPem: z.string().min(1),
});
export type ProxyCa = z.infer<typeof proxyCaResponseSchema>;
