import { memberships, organizations, totpFactors } from "@ringfence/db";
import { and, count, eq, isNotNull, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, RequestContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { hasConfirmedFactor } from "./factor.ts";

export interface MfaRequirementDto {
  required: boolean;
  /** Members who would be (or are) made to enrol before anything else. */
  membersWithoutMfa: number;
}

/** Whether the organisation requires MFA, and how many members lack it. */
export async function getMfaRequirement({
  ctx,
}: ServiceCall<OrgContext, Record<string, never>>): Promise<MfaRequirementDto> {
  const [org] = await ctx.db
    .select({ required: organizations.requireMfa })
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId));
  if (!org) throw new AppError("not_found", `No organisation ${ctx.organizationId}.`);

  const confirmed = and(
    eq(totpFactors.userId, memberships.userId),
    isNotNull(totpFactors.confirmedAt),
  );
  const [without] = await ctx.db
    .select({ n: count() })
    .from(memberships)
    .leftJoin(totpFactors, confirmed)
    .where(and(eq(memberships.organizationId, ctx.organizationId), isNull(totpFactors.id)));
  return { required: org.required, membersWithoutMfa: without?.n ?? 0 };
}

/**
 * Turns the requirement on or off. The owner turning it on must have a second factor already,
 * so the change cannot lock out the person making it mid-session.
 */
export async function setMfaRequirement({
  ctx,
  input,
}: ServiceCall<OrgContext, { required: boolean }>): Promise<MfaRequirementDto> {
  if (input.required && !(await hasConfirmedFactor(ctx, ctx.actor.id))) {
    throw new AppError("conflict", "Enable MFA on your own account before requiring it.");
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(organizations)
      .set({ requireMfa: input.required })
      .where(eq(organizations.id, ctx.organizationId));
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "org.mfa_requirement.update",
      targetType: "organization",
      targetId: ctx.organizationId,
      details: { required: input.required },
    });
  });
  return getMfaRequirement({ ctx, input: {} });
}

/**
 * Refuses a member without a second factor in an organisation that requires one: 403
 * `mfa_enrollment_required`, which the console answers by opening enrolment.
 */
export async function assertMfaRequirementMet({
  ctx,
  input,
}: ServiceCall<RequestContext, { organizationId: string; userId: string }>): Promise<void> {
  const [row] = await ctx.db
    .select({ required: organizations.requireMfa, factorId: totpFactors.id })
    .from(organizations)
    .leftJoin(
      totpFactors,
      and(eq(totpFactors.userId, input.userId), isNotNull(totpFactors.confirmedAt)),
    )
    .where(eq(organizations.id, input.organizationId));
  if (row?.required && row.factorId === null) {
    throw new AppError(
      "mfa_enrollment_required",
      "This organisation requires a second factor: enrol one at POST /api/v1/me/mfa/totp.",
    );
  }
}
