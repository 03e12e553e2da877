import { z } from "zod";
import { fromBase64 } from "./encoding.ts";

/** The only payload format this engine reads; a new shape of payload gets a new number. */
export const BUNDLE_FORMAT = 1;

/** A key id: short, printable and safe in headers, logs and file names. */
export const keyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, "a key id is 1-64 characters of A-Z a-z 0-9 . _ : -");

/** A raw Ed25519 public key: exactly 32 bytes, in canonical padded base64. */
export const publicKeySchema = z
  .string()
  .refine((text) => fromBase64(text)?.length === 32, "an Ed25519 public key is 32 bytes in base64");

/** A key the signer announces so that enforcers trust it from then on (key rotation). */
export const announcedKeySchema = z.strictObject({
  keyId: keyIdSchema,
  publicKey: publicKeySchema,
  notBefore: z.iso.datetime({ offset: true }),
});
export type AnnouncedKey = z.infer<typeof announcedKeySchema>;

/** A key an enforcer trusts; `notBefore` is absent for keys received at registration. */
export const trustedKeySchema = z.strictObject({
  keyId: keyIdSchema,
  publicKey: publicKeySchema,
  notBefore: z.iso.datetime({ offset: true }).optional(),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

/** Key management carried inside a signed payload. */
export const bundleKeysSchema = z.strictObject({
  announce: z.array(announcedKeySchema).max(8).optional(),
  retire: z.array(keyIdSchema).max(8).optional(),
});

/** The default policy check: any JSON object. Callers pass the policy engine's schema instead. */
export const anyPolicySchema = z.record(z.string(), z.unknown());

/** Builds the payload schema around the schema of the policy it carries. */
export function bundlePayloadSchema<P>(policySchema: z.ZodType<P>) {
  return z.strictObject({
    format: z.literal(BUNDLE_FORMAT),
    organizationId: z.string().min(1).max(200),
    version: z.int().positive(),
    createdAt: z.iso.datetime({ offset: true }),
    policy: policySchema,
    keys: bundleKeysSchema,
  });
}

/** A bundle payload: one organisation's complete enforcement state at one version. */
export interface BundlePayload<P = Record<string, unknown>> {
  format: typeof BUNDLE_FORMAT;
  organizationId: string;
  version: number;
  createdAt: string;
  policy: P;
  keys: z.infer<typeof bundleKeysSchema>;
}

/** What travels over the wire: the exact signed bytes, their signature and the signing key. */
export const bundleEnvelopeSchema = z.strictObject({
  payload: z.string().min(1),
  signature: z.string().min(1),
  keyId: keyIdSchema,
});
export type BundleEnvelope = z.infer<typeof bundleEnvelopeSchema>;

/** What a verifier remembers between bundles; plain JSON so a gateway can persist it. */
export const verifierStateSchema = z.strictObject({
  organizationId: z.string().min(1).max(200),
  trustedKeys: z.array(trustedKeySchema).min(1).max(32),
  current: z
    .strictObject({
      version: z.int().positive(),
      hash: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 hash in lowercase hexadecimal"),
    })
    .nullable(),
});
export type VerifierState = z.infer<typeof verifierStateSchema>;
