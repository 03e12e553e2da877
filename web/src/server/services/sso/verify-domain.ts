import { ssoDomains } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { isUniqueViolation } from "../../db-errors.ts";
import { AppError } from "../../errors.ts";
import { challengeName, challengeValue, presentDomain } from "./present.ts";
import type { WithSso } from "./runtime.ts";

/**
 * Looks up `_ringfence-challenge.<domain>` TXT and marks the domain verified when one record
 * holds the expected value. A domain verified by another organisation cannot be verified again
 * (conflict), so two tenants never both sign in the same addresses.
 */
export async function verifyDomain({
  ctx,
  input,
}: ServiceCall<WithSso<OrgContext>, { domainId: string }>) {
  const [row] = await ctx.db
    .select()
    .from(ssoDomains)
    .where(
      and(eq(ssoDomains.organizationId, ctx.organizationId), eq(ssoDomains.id, input.domainId)),
    );
  if (!row) throw new AppError("not_found", `No domain ${input.domainId} in this organisation.`);
  if (row.verifiedAt) return presentDomain(row);

  const name = challengeName(row.domain);
  const expected = challengeValue(row.verificationToken);
  const records = await lookUp(ctx.sso.resolveTxt, name);
  if (!records.some((record) => record.join("") === expected)) {
    throw new AppError(
      "invalid_request",
      `No TXT record at ${name} holds ${expected} (found ${records.length} record(s)); publish it and try again.`,
    );
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const [verified] = await tx
        .update(ssoDomains)
        .set({ verifiedAt: new Date() })
        .where(and(eq(ssoDomains.organizationId, ctx.organizationId), eq(ssoDomains.id, row.id)))
        .returning();
      if (!verified) throw new AppError("not_found", `No domain ${row.id} in this organisation.`);
      await recordAudit(tx, ctx, {
        organizationId: ctx.organizationId,
        action: "sso.domain.verify",
        targetType: "sso_domain",
        targetId: row.id,
        details: { domain: row.domain },
      });
      return presentDomain(verified);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("conflict", `${row.domain} is already verified by another organisation.`, {
      cause: error,
    });
  }
}

/** TXT records of a name; "no such name" and "no TXT data" mean none, other failures a 400. */
async function lookUp(
  resolveTxt: (name: string) => Promise<string[][]>,
  name: string,
): Promise<string[][]> {
  try {
    return await resolveTxt(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOTFOUND" || code === "ENODATA") return [];
    throw new AppError("invalid_request", `The TXT lookup of ${name} failed (${String(code)}).`, {
      cause: error,
    });
  }
}
