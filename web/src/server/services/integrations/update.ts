import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { integrations } from "../outbox/tables.ts";
import type { UpdateIntegrationInput } from "./input.ts";
import { presentIntegration, type ReportContext } from "./present.ts";
import { findIntegration } from "./read.ts";
import { judgeTargetForSave } from "./target.ts";

/** Changes an integration; a new target is judged by the SSRF guard before it is saved. */
export async function updateIntegration({
  ctx,
  input,
}: ServiceCall<ReportContext, { integrationId: string; changes: UpdateIntegrationInput }>) {
  const current = await findIntegration(ctx, input.integrationId);
  if (input.changes.target !== undefined) {
    await judgeTargetForSave(current.kind, input.changes.target, ctx.report);
  }
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(integrations)
      .set(input.changes)
      .where(
        and(
          eq(integrations.organizationId, ctx.organizationId),
          eq(integrations.id, input.integrationId),
        ),
      )
      .returning();
    if (!updated) throw new AppError("not_found", "No such integration.");
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "integration.update",
      targetType: "integration",
      targetId: input.integrationId,
      details: { fields: Object.keys(input.changes) },
    });
    return updated;
  });
  return presentIntegration(row);
}

/** Deletes an integration with its pending deliveries and delivery log. */
export async function deleteIntegration({
  ctx,
  input,
}: ServiceCall<ReportContext, { integrationId: string }>): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(integrations)
      .where(
        and(
          eq(integrations.organizationId, ctx.organizationId),
          eq(integrations.id, input.integrationId),
        ),
      )
      .returning({ id: integrations.id });
    if (deleted.length === 0) throw new AppError("not_found", "No such integration.");
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "integration.delete",
      targetType: "integration",
      targetId: input.integrationId,
    });
  });
}
