import { organizations } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { type OrganizationDto, presentOrganization } from "./present.ts";

/** Renames the organisation. The slug stays, because links and API clients use it. */
export async function updateOrganization({
  ctx,
  input,
}: ServiceCall<OrgContext, { name: string }>): Promise<OrganizationDto> {
  return ctx.db.transaction(async (tx) => {
    const [org] = await tx
      .update(organizations)
      .set({ name: input.name })
      .where(eq(organizations.id, ctx.organizationId))
      .returning();
    if (!org) throw new AppError("not_found", `No organisation ${ctx.organizationId}.`);

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "organization.update",
      targetType: "organization",
      targetId: org.id,
      details: { name: org.name },
    });
    return presentOrganization(org, ctx.role);
  });
}
