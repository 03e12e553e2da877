import { type Database, recoveryCodes } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { hasConfirmedFactor } from "./factor.ts";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery.ts";

/** Replaces every recovery code of the user with ten new ones and returns them, once. */
export async function replaceRecoveryCodes(tx: Database, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx
    .insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/** New recovery codes for a user with a second factor; the old ones stop working at once. */
export async function regenerateRecoveryCodes({
  ctx,
}: ServiceCall<ServiceContext, Record<string, never>>): Promise<{ recoveryCodes: string[] }> {
  if (!(await hasConfirmedFactor(ctx, ctx.actor.id))) {
    throw new AppError("conflict", "Recovery codes come with a second factor; enrol one first.");
  }
  const codes = await ctx.db.transaction((tx) => replaceRecoveryCodes(tx, ctx.actor.id));
  return { recoveryCodes: codes };
}
