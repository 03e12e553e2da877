import { type ApiKeyScope, apiKeys } from "@ringfence/db";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { randomToken, sha256 } from "../../tokens.ts";
import { API_KEY_PREFIX, type ApiKeyDto, presentApiKey } from "./present.ts";

/** Mints a key; the secret is in this answer and nowhere else, ever. */
export async function createApiKey({
  ctx,
  input,
}: ServiceCall<OrgContext, { name: string; scope: ApiKeyScope }>): Promise<{
  apiKey: ApiKeyDto;
  secret: string;
}> {
  const secret = `${API_KEY_PREFIX}${randomToken()}`;
  return ctx.db.transaction(async (tx) => {
    const [key] = await tx
      .insert(apiKeys)
      .values({
        organizationId: ctx.organizationId,
        name: input.name,
        scope: input.scope,
        start: secret.slice(0, 10),
        keyHash: sha256(secret),
        createdBy: ctx.actor.type === "user" ? ctx.actor.id : null,
      })
      .returning();
    if (!key) throw new Error("insert into api_keys returned no row");

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "api_key.create",
      targetType: "api_key",
      targetId: key.id,
      details: { name: key.name, scope: key.scope },
    });
    return { apiKey: presentApiKey(key), secret };
  });
}
