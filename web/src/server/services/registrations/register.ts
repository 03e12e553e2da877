import { type Database, enforcerRegistrations, enforcers } from "@ringfence/db";
import { and, eq, gt, isNull } from "@ringfence/db/orm";
import {
  ENFORCER_CREDENTIAL_PREFIX,
  type EnforcerKind,
  type RegisterResponse,
} from "@ringfence/engine/control";
import { recordAudit } from "../../audit.ts";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { sha256 } from "../../tokens.ts";
import { latestBundle } from "../bundles/store.ts";
import { expiryFrom, issueSecret } from "../credentials/lifecycle.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { liveSigningKey, trustedKeyOf } from "../keys/signing-key.ts";

/**
 * Exchanges a registration token for an enforcer: the token is spent in the same transaction
 * that creates the enforcer, so it works exactly once. Unknown, spent and expired tokens get
 * the same answer, which tells a guesser nothing.
 */
export async function registerEnforcer({
  ctx,
  input,
}: ServiceCall<
  WithEnforcement<RequestContext>,
  { token: string; kind: EnforcerKind; softwareVersion?: string | undefined }
>): Promise<RegisterResponse> {
  return ctx.db.transaction(async (tx) => {
    const registration = await claim(tx, input.token);
    const organizationId = registration.organizationId;
    const key = await liveSigningKey(tx, ctx.enforcement.keyring, organizationId);
    const issued = issueSecret(ENFORCER_CREDENTIAL_PREFIX);
    const expiresAt = expiryFrom(new Date(), ctx.enforcement.settings.credentialTtlSeconds);

    const [enforcer] = await tx
      .insert(enforcers)
      .values({
        organizationId,
        name: registration.name,
        kind: input.kind,
        credentialHash: issued.hash,
        credentialStart: issued.start,
        credentialExpiresAt: expiresAt,
        softwareVersion: input.softwareVersion ?? null,
        baselineVersion: (await latestBundle(tx, organizationId))?.version ?? 0,
      })
      .returning();
    if (enforcer === undefined) {
      throw new Error("insert into enforcers returned no row");
    }
    await spend(tx, organizationId, registration.id, enforcer.id);
    await recordAudit(
      tx,
      { ...ctx, actor: { type: "system", id: enforcer.id } },
      {
        organizationId,
        action: "enforcer.register",
        targetType: "enforcer",
        targetId: enforcer.id,
        details: {
          name: enforcer.name,
          kind: enforcer.kind,
          registrationId: registration.id,
          credentialStart: issued.start,
          credentialExpiresAt: expiresAt?.toISOString() ?? null,
        },
      },
    );

    return {
      enforcerId: enforcer.id,
      organizationId,
      name: enforcer.name,
      kind: enforcer.kind,
      credential: issued.secret,
      credentialExpiresAt: expiresAt?.toISOString() ?? null,
      trustedKeys: [trustedKeyOf(key.row)],
    };
  });
}

async function claim(tx: Database, token: string) {
  const [registration] = await tx
    .select()
    .from(enforcerRegistrations)
    .where(
      and(
        eq(enforcerRegistrations.tokenHash, sha256(token)),
        isNull(enforcerRegistrations.usedAt),
        gt(enforcerRegistrations.expiresAt, new Date()),
      ),
    )
    .for("update");
  if (registration === undefined) {
    throw new AppError(
      "unauthenticated",
      "The registration token is unknown, already used or expired.",
    );
  }
  return registration;
}

async function spend(
  tx: Database,
  organizationId: string,
  registrationId: string,
  enforcerId: string,
) {
  await tx
    .update(enforcerRegistrations)
    .set({ usedAt: new Date(), enforcerId })
    .where(
      and(
        eq(enforcerRegistrations.organizationId, organizationId),
        eq(enforcerRegistrations.id, registrationId),
      ),
    );
}
