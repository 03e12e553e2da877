import { ssoDomains } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { isUniqueViolation } from "../../db-errors.ts";
import { AppError } from "../../errors.ts";
import { randomToken } from "../../tokens.ts";
import { presentDomain } from "./present.ts";

/** Domains of the organisation, verified or not, oldest first. */
export async function listDomains({ ctx }: ServiceCall<OrgContext, Record<string, never>>) {
  const rows = await ctx.db
    .select()
    .from(ssoDomains)
    .where(eq(ssoDomains.organizationId, ctx.organizationId))
    .orderBy(ssoDomains.id);
  return { items: rows.map(presentDomain) };
}

/** Claims a domain (unverified) and returns the TXT record that will prove it. */
export async function addDomain({ ctx, input }: ServiceCall<OrgContext, { domain: string }>) {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(ssoDomains)
        .values({
          organizationId: ctx.organizationId,
          domain: input.domain,
          verificationToken: randomToken(),
        })
        .returning();
      if (!row) throw new Error("insert into sso_domains returned no row");
      await recordAudit(tx, ctx, {
        organizationId: ctx.organizationId,
        action: "sso.domain.add",
        targetType: "sso_domain",
        targetId: row.id,
        details: { domain: row.domain },
      });
      return presentDomain(row);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("conflict", `The domain ${input.domain} is already listed.`, {
      fields: [{ location: "body", path: "domain", message: "Already listed" }],
      cause: error,
    });
  }
}

/** Removes a domain; SSO no longer signs in addresses of it. */
export async function removeDomain({ ctx, input }: ServiceCall<OrgContext, { domainId: string }>) {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(ssoDomains)
      .where(
        and(eq(ssoDomains.organizationId, ctx.organizationId), eq(ssoDomains.id, input.domainId)),
      )
      .returning();
    if (!row) throw new AppError("not_found", `No domain ${input.domainId} in this organisation.`);
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "sso.domain.remove",
      targetType: "sso_domain",
      targetId: row.id,
      details: { domain: row.domain },
    });
  });
}
