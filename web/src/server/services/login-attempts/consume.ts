import { loginAttemptBuckets } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";

export interface ConsumeInput {
  /** `account:<email>` or `source:<address>`. */
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface ConsumeResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts one attempt in a fixed window and says whether it is within the limit. A single upsert
 * does the read and the write, so concurrent attempts on several replicas all count.
 */
export async function consumeLoginAttempt({
  ctx,
  input,
}: ServiceCall<RequestContext, ConsumeInput>): Promise<ConsumeResult> {
  const expired = sql`${loginAttemptBuckets.windowStartedAt} <= now() - make_interval(secs => ${input.windowSeconds})`;
  const [bucket] = await ctx.db
    .insert(loginAttemptBuckets)
    .values({ key: input.key, windowStartedAt: sql`now()`, attempts: 1 })
    .onConflictDoUpdate({
      target: loginAttemptBuckets.key,
      set: {
        attempts: sql`CASE WHEN ${expired} THEN 1 ELSE ${loginAttemptBuckets.attempts} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${expired} THEN now() ELSE ${loginAttemptBuckets.windowStartedAt} END`,
        updatedAt: sql`now()`,
      },
    })
    .returning({
      attempts: loginAttemptBuckets.attempts,
      remaining: sql<string>`extract(epoch from ${loginAttemptBuckets.windowStartedAt} + make_interval(secs => ${input.windowSeconds}) - now())`,
    });

  const attempts = bucket?.attempts ?? 1;
  const remaining = Math.max(1, Math.ceil(Number(bucket?.remaining ?? input.windowSeconds)));
  return { allowed: attempts <= input.limit, retryAfterSeconds: remaining };
}
