import type { Database } from "@ringfence/db";
import { and, eq, sql } from "@ringfence/db/orm";
import { DocumentError, type Policy } from "@ringfence/engine/documents";
import { resolvePolicy } from "@ringfence/engine/policy";
import { recordAudit } from "../../audit.ts";
import type { OrgContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { canonicalPolicy, EMPTY_POLICY, fieldsOf, policyKey } from "./canonical.ts";
import { policyDrafts } from "./tables.ts";

/** The organisation's draft and its revision. */
export interface Draft {
  policy: Policy;
  revision: number;
}

/**
 * Reads the draft, creating the empty one on first use. With `lock`, the row stays locked until
 * the transaction ends, so concurrent edits apply one after the other instead of losing one.
 */
export async function loadDraft(
  tx: Database,
  organizationId: string,
  options: { lock?: boolean } = {},
): Promise<Draft> {
  await tx
    .insert(policyDrafts)
    .values({ organizationId, document: EMPTY_POLICY as unknown as Record<string, unknown> })
    .onConflictDoNothing();
  const query = tx
    .select()
    .from(policyDrafts)
    .where(eq(policyDrafts.organizationId, organizationId));
  const [row] = options.lock ? await query.for("update") : await query;
  if (row === undefined) throw new Error("the draft row vanished inside its transaction");
  return { policy: canonicalPolicy(row.document), revision: row.revision };
}

/** Unknown references and other compile-time problems that do not depend on the inventory. */
function checkReferences(policy: Policy): void {
  try {
    resolvePolicy(policy, { schemaVersion: 1, assets: [] });
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    // A bucket's region may come from the inventory at publish time, so it is not required here.
    const issues = error.issues.filter(
      (issue) => !/^\$\.services\[\d+\]\.region$/.test(issue.path),
    );
    if (issues.length === 0) return;
    const detail = `The policy would not compile: ${issues[0]?.path}: ${issues[0]?.message}`;
    throw new AppError("invalid_request", detail, { fields: fieldsOf(issues), cause: error });
  }
}

/** Validates a whole document into its canonical form; errors name every path. */
export function validatePolicy(input: unknown): Policy {
  let policy: Policy;
  try {
    policy = canonicalPolicy(input);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    throw new AppError("invalid_request", error.message, {
      fields: fieldsOf(error.issues),
      cause: error,
    });
  }
  checkReferences(policy);
  return policy;
}

/** What one edit did, for the audit log. */
export interface DraftChange {
  action: string;
  targetType: string;
  targetId: string;
}

/**
 * Applies `edit` to the locked draft, validates the result and stores it with an audit row, all
 * in one transaction. An edit that changes nothing writes nothing and keeps the revision.
 */
export async function editDraft<T>(
  ctx: OrgContext,
  change: DraftChange,
  edit: (policy: Policy) => { policy: Policy; result: T },
): Promise<{ result: T; revision: number; changed: boolean }> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadDraft(tx, ctx.organizationId, { lock: true });
    const { policy, result } = edit(structuredClone(before.policy));
    const next = validatePolicy(policy);
    if (policyKey(next) === policyKey(before.policy)) {
      return { result, revision: before.revision, changed: false };
    }

    const [row] = await tx
      .update(policyDrafts)
      .set({
        document: next as unknown as Record<string, unknown>,
        revision: sql`${policyDrafts.revision} + 1`,
      })
      .where(and(eq(policyDrafts.organizationId, ctx.organizationId)))
      .returning({ revision: policyDrafts.revision });
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      ...change,
      details: { revision: row?.revision ?? null },
    });
    return { result, revision: row?.revision ?? before.revision + 1, changed: true };
  });
}
