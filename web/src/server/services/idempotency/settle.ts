import { idempotencyRecords } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";

/** Stores the answer to replay for the key's later requests. */
export async function completeIdempotencyKey({
  ctx,
  input,
}: ServiceCall<RequestContext, { recordId: string; status: number; body: unknown }>) {
  await ctx.db
    .update(idempotencyRecords)
    .set({ status: input.status, responseBody: input.body })
    .where(eq(idempotencyRecords.id, input.recordId));
}

/** Forgets a claim whose request failed unexpectedly, so the client may retry with the key. */
export async function releaseIdempotencyKey({
  ctx,
  input,
}: ServiceCall<RequestContext, { recordId: string }>) {
  await ctx.db.delete(idempotencyRecords).where(eq(idempotencyRecords.id, input.recordId));
}
