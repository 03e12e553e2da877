import { enforcerRegistrations } from "@ringfence/db";
import { REGISTRATION_TOKEN_PREFIX } from "@ringfence/engine/control";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { randomToken, sha256 } from "../../tokens.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";

/** A registration token as the API shows it after creation (the secret only this once). */
export interface RegistrationDto {
  id: string;
  name: string;
  expiresAt: string;
  createdAt: string;
}

/** The longest a registration token may live: a week. */
export const MAX_REGISTRATION_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Creates a one-time registration token for an enforcer called `name`. The token (`rfr_…`) is
 * returned here and nowhere else; only its SHA-256 is stored.
 */
export async function createRegistration({
  ctx,
  input,
}: ServiceCall<
  WithEnforcement<OrgContext>,
  { name: string; ttlSeconds?: number | undefined }
>): Promise<{
  registration: RegistrationDto;
  token: string;
}> {
  const token = `${REGISTRATION_TOKEN_PREFIX}${randomToken()}`;
  const ttl = input.ttlSeconds ?? ctx.enforcement.settings.registrationTtlSeconds;
  const expiresAt = new Date(Date.now() + ttl * 1000);

  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(enforcerRegistrations)
      .values({
        organizationId: ctx.organizationId,
        name: input.name,
        tokenHash: sha256(token),
        expiresAt,
        createdBy: ctx.actor.type === "user" ? ctx.actor.id : null,
      })
      .returning();
    if (row === undefined) {
      throw new Error("insert into enforcer_registrations returned no row");
    }
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "enforcer_registration.create",
      targetType: "enforcer_registration",
      targetId: row.id,
      details: { name: row.name, expiresAt: expiresAt.toISOString() },
    });
    const registration = {
      id: row.id,
      name: row.name,
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
    };
    return { registration, token };
  });
}
