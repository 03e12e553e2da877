import type { Database } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { Policy } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { PageInput } from "../../http/pagination.ts";
import { EMPTY_POLICY } from "../policy/canonical.ts";
import type { PolicyDiff } from "../policy/diff.ts";
import { type PolicyVersionRow, policyVersions } from "../policy/tables.ts";

/** One published version as the API shows it. */
export interface PolicyVersionDto {
  version: number;
  bundleId: string;
  reason: string;
  rollbackOf: number | null;
  diff: PolicyDiff;
  createdBy: string | null;
  createdAt: string;
}

export function presentVersion(row: PolicyVersionRow): PolicyVersionDto {
  return {
    version: row.version,
    bundleId: row.bundleId,
    reason: row.reason,
    rollbackOf: row.rollbackOf,
    diff: row.diff as unknown as PolicyDiff,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The newest published version's row, or undefined before the first publish. */
export async function latestVersion(
  db: Database,
  organizationId: string,
): Promise<PolicyVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(policyVersions)
    .where(eq(policyVersions.organizationId, organizationId))
    .orderBy(desc(policyVersions.version))
    .limit(1);
  return row;
}

/** The policy document enforcers run now (the empty policy before the first publish). */
export function runningPolicy(row: PolicyVersionRow | undefined): Policy {
  return row === undefined ? EMPTY_POLICY : (row.document as unknown as Policy);
}

/** One version's row; 404 when it was never published from a draft. */
export async function versionRow(db: Database, organizationId: string, version: number) {
  const [row] = await db
    .select()
    .from(policyVersions)
    .where(
      and(eq(policyVersions.organizationId, organizationId), eq(policyVersions.version, version)),
    );
  if (row === undefined) {
    throw new AppError("not_found", `There is no published policy version ${version}.`);
  }
  return row;
}

/** Published versions, newest first; the cursor is the last version seen. */
export async function listVersions({ ctx, input }: ServiceCall<OrgContext, PageInput>) {
  const after = input.cursor === undefined ? undefined : Number(input.cursor);
  if (after !== undefined && !Number.isInteger(after)) {
    const fields = [{ location: "query", path: "cursor", message: "Invalid cursor" }];
    throw new AppError("invalid_request", "The cursor is not one this API issued.", { fields });
  }
  const rows = await ctx.db
    .select()
    .from(policyVersions)
    .where(
      and(
        eq(policyVersions.organizationId, ctx.organizationId),
        after === undefined ? undefined : lt(policyVersions.version, after),
      ),
    )
    .orderBy(desc(policyVersions.version))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(presentVersion);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? String(last.version) : null };
}
