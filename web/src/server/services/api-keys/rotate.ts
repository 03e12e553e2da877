import { apiKeys } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { issueSecret, overlapEnd } from "../credentials/lifecycle.ts";
import {
  API_KEY_PREFIX,
  type ApiKeyDto,
  DEFAULT_API_KEY_OVERLAP_SECONDS,
  presentApiKey,
} from "./present.ts";

/**
 * Gives a key a new secret, shown in this answer only. The old secret keeps working until the
 * overlap window ends (an hour unless `overlapSeconds` says otherwise; 0 ends it at once), so
 * the callers using it can be moved without an outage. The key keeps its id, scope and expiry;
 * a secret already replaced once is dropped at the next rotation. Revoked or expired keys cannot
 * be rotated: create a new key.
 */
export async function rotateApiKey({
  ctx,
  input,
}: ServiceCall<OrgContext, { keyId: string; overlapSeconds?: number | undefined }>): Promise<{
  apiKey: ApiKeyDto;
  secret: string;
}> {
  const issued = issueSecret(API_KEY_PREFIX);
  const overlap = input.overlapSeconds ?? DEFAULT_API_KEY_OVERLAP_SECONDS;
  const now = new Date();
  return ctx.db.transaction(async (tx) => {
    const inOrg = and(eq(apiKeys.organizationId, ctx.organizationId), eq(apiKeys.id, input.keyId));
    const [key] = await tx.select().from(apiKeys).where(inOrg).for("update");
    if (!key) throw new AppError("not_found", `No API key ${input.keyId} in this organisation.`);
    if (key.revokedAt !== null) {
      throw new AppError("conflict", `API key ${key.id} is revoked; create a new key instead.`);
    }
    if (key.expiresAt !== null && key.expiresAt <= now) {
      throw new AppError("conflict", `API key ${key.id} has expired; create a new key instead.`);
    }

    const until = overlapEnd(now, overlap, key.expiresAt);
    const [rotated] = await tx
      .update(apiKeys)
      .set({
        keyHash: issued.hash,
        start: issued.start,
        previousKeyHash: key.keyHash,
        previousExpiresAt: until,
        rotatedAt: now,
      })
      .where(inOrg)
      .returning();
    if (!rotated) throw new Error("update of api_keys returned no row");

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "api_key.rotate",
      targetType: "api_key",
      targetId: key.id,
      details: { start: issued.start, previousValidUntil: until.toISOString() },
    });
    return { apiKey: presentApiKey(rotated), secret: issued.secret };
  });
}
