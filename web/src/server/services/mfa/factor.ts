import { totpFactors } from "@ringfence/db";
import { and, eq, isNotNull } from "@ringfence/db/orm";
import type { RequestContext } from "../../context.ts";

/** Whether the user has a confirmed second factor, i.e. signs in with one. */
export async function hasConfirmedFactor(ctx: RequestContext, userId: string): Promise<boolean> {
  const [factor] = await ctx.db
    .select({ id: totpFactors.id })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)));
  return factor !== undefined;
}
