import { ID_PREFIXES, newId, totpFactors, users } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { WithMfa } from "./runtime.ts";
import { sealTotpSecret } from "./sealed-secret.ts";
import { newTotpSecret, TOTP_PARAMETERS, totpSecretText, totpUri } from "./totp.ts";

export interface TotpEnrolmentDto {
  /** The `otpauth://` URI for a QR code. */
  uri: string;
  /** The same secret in base32, for typing into an authenticator. */
  secret: string;
  algorithm: string;
  digits: number;
  period: number;
}

/**
 * Starts (or restarts) TOTP enrolment: a fresh secret, sealed at rest, shown this once. It
 * protects nothing until a first code confirms it. Refused while a confirmed factor exists:
 * replacing one goes through disabling it, which asks for the password and a code.
 */
export async function startTotpEnrolment({
  ctx,
}: ServiceCall<WithMfa<ServiceContext>, Record<string, never>>): Promise<TotpEnrolmentDto> {
  const userId = ctx.actor.id;
  const secret = newTotpSecret();
  const id = newId(ID_PREFIXES.totpFactor);
  const secretSealed = await sealTotpSecret(ctx.mfa.keyring, secret, id, ctx.db);

  const email = await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new AppError("unauthenticated", "The session's user no longer exists.");
    const [existing] = await tx
      .select({ confirmedAt: totpFactors.confirmedAt })
      .from(totpFactors)
      .where(eq(totpFactors.userId, userId))
      .for("update");
    if (existing?.confirmedAt) {
      throw new AppError("conflict", "A TOTP factor is already active; disable it first.");
    }

    await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
    await tx.insert(totpFactors).values({ id, userId, secretSealed });
    return user.email;
  });

  return { uri: totpUri(secret, email), secret: totpSecretText(secret), ...TOTP_PARAMETERS };
}
