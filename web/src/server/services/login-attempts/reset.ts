import { loginAttemptBuckets } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";

/** Forgets an account's failed attempts once its owner has signed in. */
export async function resetLoginAttempts({
  ctx,
  input,
}: ServiceCall<RequestContext, { key: string }>): Promise<void> {
  await ctx.db.delete(loginAttemptBuckets).where(eq(loginAttemptBuckets.key, input.key));
}
