import { recordAudit } from "../../audit.ts";
import type { ServiceCall } from "../../context.ts";
import { integrations, newIntegrationId } from "../outbox/tables.ts";
import type { CreateIntegrationInput } from "./input.ts";
import { type IntegrationView, presentIntegration, type ReportContext } from "./present.ts";
import { newWebhookSecret, sealSecret } from "./secret.ts";
import { judgeTargetForSave } from "./target.ts";

/**
 * Creates an integration after the SSRF guard approves its target. A webhook without a given
 * secret gets a generated `whsec_…`, returned this once; secrets are stored sealed.
 */
export async function createIntegration({
  ctx,
  input,
}: ServiceCall<ReportContext, CreateIntegrationInput>): Promise<
  IntegrationView & { secret: string | null }
> {
  await judgeTargetForSave(input.kind, input.target, ctx.report);
  const id = newIntegrationId();
  const generated = input.kind === "webhook" && input.secret === undefined;
  const secret =
    input.kind === "webhook"
      ? (input.secret ?? newWebhookSecret())
      : input.kind === "splunk_hec"
        ? input.token
        : undefined;
  const sealedSecret =
    secret === undefined
      ? null
      : await sealSecret(ctx.report.kek, ctx.organizationId, id, secret, ctx.db);

  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(integrations)
      .values({
        id,
        organizationId: ctx.organizationId,
        name: input.name,
        kind: input.kind,
        target: input.target,
        sealedSecret,
        caPem: input.caPem ?? null,
        classes: input.classes,
        minSeverity: input.minSeverity,
        includeAudit: input.includeAudit,
        enabled: input.enabled,
        deadLetterAfterSeconds: input.deadLetterAfterSeconds,
      })
      .returning();
    if (!created) throw new Error("insert returned no integration row");
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "integration.create",
      targetType: "integration",
      targetId: id,
      details: { kind: input.kind, target: input.target },
    });
    return created;
  });
  return { ...presentIntegration(row), secret: generated ? (secret ?? null) : null };
}
