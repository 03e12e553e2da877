import { bundles, enforcers } from "@ringfence/db";
import { and, desc, eq, isNull } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";

/**
 * Each live enforcer with the bundle version it reports enforcing, when it was last seen, and
 * whether it lags the newest published version (drift).
 */
export async function enforcerStatus({ ctx }: ServiceCall<OrgContext, Record<string, never>>) {
  const [latest] = await ctx.db
    .select({ version: bundles.version })
    .from(bundles)
    .where(eq(bundles.organizationId, ctx.organizationId))
    .orderBy(desc(bundles.version))
    .limit(1);
  const rows = await ctx.db
    .select()
    .from(enforcers)
    .where(and(eq(enforcers.organizationId, ctx.organizationId), isNull(enforcers.revokedAt)))
    .orderBy(desc(enforcers.id));
  const publishedVersion = latest?.version ?? null;
  return {
    publishedVersion,
    items: rows.map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      enforcedVersion: row.bundleVersion,
      lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
      status: row.statusMessage,
      drift: publishedVersion !== null && (row.bundleVersion ?? 0) < publishedVersion,
    })),
  };
}
