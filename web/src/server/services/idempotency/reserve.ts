import { idempotencyRecords } from "@ringfence/db";
import { and, eq, lt } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";

/** How long a key is remembered. */
const RETENTION_MS = 24 * 3600 * 1000;

export interface ReserveInput {
  principalId: string;
  key: string;
  requestHash: string;
}

export type Reservation =
  | { state: "reserved"; recordId: string }
  | { state: "replay"; status: number; body: unknown }
  | { state: "mismatch" }
  | { state: "in_progress" };

/**
 * Claims a key for a first request, or reports what an earlier request with it left. The insert
 * with ON CONFLICT DO NOTHING makes the claim atomic, so two concurrent requests with one key never
 * both run.
 */
export async function reserveIdempotencyKey({
  ctx,
  input,
}: ServiceCall<RequestContext, ReserveInput>): Promise<Reservation> {
  const scope = and(
    eq(idempotencyRecords.principalId, input.principalId),
    eq(idempotencyRecords.key, input.key),
  );
  await ctx.db
    .delete(idempotencyRecords)
    .where(and(scope, lt(idempotencyRecords.expiresAt, new Date())));

  const [claimed] = await ctx.db
    .insert(idempotencyRecords)
    .values({ ...input, expiresAt: new Date(Date.now() + RETENTION_MS) })
    .onConflictDoNothing()
    .returning({ id: idempotencyRecords.id });
  if (claimed) return { state: "reserved", recordId: claimed.id };

  const [earlier] = await ctx.db.select().from(idempotencyRecords).where(scope);
  if (!earlier) return { state: "in_progress" };
  if (earlier.requestHash !== input.requestHash) return { state: "mismatch" };
  if (earlier.status === null) return { state: "in_progress" };
  return { state: "replay", status: earlier.status, body: earlier.responseBody };
}
