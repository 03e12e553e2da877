import { memberships, organizations } from "@ringfence/db";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { isUniqueViolation } from "../../db-errors.ts";
import { AppError } from "../../errors.ts";
import { type OrganizationDto, presentOrganization } from "./present.ts";

/** Creates an organisation with the acting user as its owner. */
export async function createOrganization({
  ctx,
  input,
}: ServiceCall<ServiceContext, { name: string; slug: string }>): Promise<OrganizationDto> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [org] = await tx.insert(organizations).values(input).returning();
      if (!org) throw new Error("insert into organizations returned no row");

      await tx
        .insert(memberships)
        .values({ organizationId: org.id, userId: ctx.actor.id, role: "owner" });
      await recordAudit(tx, ctx, {
        organizationId: org.id,
        action: "organization.create",
        targetType: "organization",
        targetId: org.id,
        details: { name: org.name, slug: org.slug },
      });
      return presentOrganization(org, "owner");
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("conflict", `The slug "${input.slug}" is taken.`, {
      fields: [{ location: "body", path: "slug", message: "Already taken" }],
      cause: error,
    });
  }
}
