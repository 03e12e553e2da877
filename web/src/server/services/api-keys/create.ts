import { type ApiKeyScope, apiKeys } from "@ringfence/db";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { expiryFrom, issueSecret } from "../credentials/lifecycle.ts";
import { API_KEY_PREFIX, type ApiKeyDto, presentApiKey } from "./present.ts";

/** Mints a key, optionally expiring; the secret is in this answer and nowhere else, ever. */
export async function createApiKey({
  ctx,
  input,
}: ServiceCall<
  OrgContext,
  { name: string; scope: ApiKeyScope; expiresInDays?: number | undefined }
>): Promise<{
  apiKey: ApiKeyDto;
  secret: string;
}> {
  const issued = issueSecret(API_KEY_PREFIX);
  const ttl = input.expiresInDays === undefined ? null : input.expiresInDays * 86_400;
  const expiresAt = expiryFrom(new Date(), ttl);
  return ctx.db.transaction(async (tx) => {
    const [key] = await tx
      .insert(apiKeys)
      .values({
        organizationId: ctx.organizationId,
        name: input.name,
        scope: input.scope,
        start: issued.start,
        keyHash: issued.hash,
        expiresAt,
        createdBy: ctx.actor.type === "user" ? ctx.actor.id : null,
      })
      .returning();
    if (!key) throw new Error("insert into api_keys returned no row");

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "api_key.create",
      targetType: "api_key",
      targetId: key.id,
      details: { name: key.name, scope: key.scope, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { apiKey: presentApiKey(key), secret: issued.secret };
  });
}
