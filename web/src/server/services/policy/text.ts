import { eq, sql } from "@ringfence/db/orm";
import { DocumentError, type Policy, parsePolicyText } from "@ringfence/engine/documents";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { latestVersion, runningPolicy } from "../publish/versions.ts";
import { fieldsOf, policyKey, policyYaml } from "./canonical.ts";
import { diffPolicies, type PolicyDiff } from "./diff.ts";
import { loadDraft, validatePolicy } from "./draft.ts";
import { policyDrafts } from "./tables.ts";

/** Parses policy text (YAML or JSON); syntax errors name line and column, fields their path. */
function parseText(text: string): Policy {
  try {
    return validatePolicy(parsePolicyText(text));
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    const fields = fieldsOf(error.issues).map((field) => ({
      ...field,
      path: `text ${field.path}`,
    }));
    throw new AppError("invalid_request", error.message, { fields, cause: error });
  }
}

/** The draft (or the running version) as the canonical YAML document. */
export async function exportPolicy({
  ctx,
  input,
}: ServiceCall<OrgContext, { source: "draft" | "published" }>): Promise<string> {
  if (input.source === "published") {
    return policyYaml(runningPolicy(await latestVersion(ctx.db, ctx.organizationId)));
  }
  return policyYaml((await loadDraft(ctx.db, ctx.organizationId)).policy);
}

/** What applying the text would change in the draft; nothing is written. */
export async function diffPolicyText({
  ctx,
  input,
}: ServiceCall<OrgContext, { text: string }>): Promise<PolicyDiff> {
  const proposed = parseText(input.text);
  const { policy } = await loadDraft(ctx.db, ctx.organizationId);
  return diffPolicies(policy, proposed);
}

/**
 * Makes the draft equal to the text. The whole file is validated first, so an invalid file
 * applies nothing; a file equal to the draft writes nothing and keeps the revision.
 */
export async function applyPolicyText({ ctx, input }: ServiceCall<OrgContext, { text: string }>) {
  const proposed = parseText(input.text);
  return ctx.db.transaction(async (tx) => {
    const before = await loadDraft(tx, ctx.organizationId, { lock: true });
    const diff = diffPolicies(before.policy, proposed);
    if (policyKey(before.policy) === policyKey(proposed)) {
      return { changed: false, revision: before.revision, diff };
    }
    const [row] = await tx
      .update(policyDrafts)
      .set({
        document: proposed as unknown as Record<string, unknown>,
        revision: sql`${policyDrafts.revision} + 1`,
      })
      .where(eq(policyDrafts.organizationId, ctx.organizationId))
      .returning({ revision: policyDrafts.revision });
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "policy.apply",
      targetType: "policy",
      targetId: ctx.organizationId,
      details: { revision: row?.revision ?? null },
    });
    return { changed: true, revision: row?.revision ?? before.revision + 1, diff };
  });
}
