import { memberships, organizations, recoveryCodes, totpFactors } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { hasConfirmedFactor } from "./factor.ts";
import type { WithMfa } from "./runtime.ts";
import { checkPassword } from "./step-up.ts";
import { type SecondFactorProof, verifySecondFactor } from "./verify-factor.ts";

export interface DisableInput {
  password: string;
  proof: SecondFactorProof;
}

/**
 * Removes the user's second factor and recovery codes. It asks for both factors, whatever the
 * session's age, because it lowers the account's protection; and it is refused while an
 * organisation of the user requires MFA, naming it.
 */
export async function disableTotp({
  ctx,
  input,
}: ServiceCall<WithMfa<ServiceContext>, DisableInput>): Promise<void> {
  const userId = ctx.actor.id;
  if (!(await hasConfirmedFactor(ctx, userId))) {
    throw new AppError("conflict", "No second factor is active.");
  }
  await checkPassword(ctx, userId, input.password);
  await verifySecondFactor(ctx, userId, input.proof);

  const [requiring] = await ctx.db
    .select({ name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), eq(organizations.requireMfa, true)))
    .limit(1);
  if (requiring) {
    throw new AppError("conflict", `${requiring.name} requires MFA of its members; keep it.`);
  }

  await ctx.db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
  });
}
