import { cloudAccounts } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { type CloudAccountDto, presentAccount } from "./present.ts";

/** One account of the organisation; another organisation's id is simply not found. */
export async function getAccount({
  ctx,
  input,
}: ServiceCall<OrgContext, { accountId: string }>): Promise<CloudAccountDto> {
  const [row] = await ctx.db
    .select()
    .from(cloudAccounts)
    .where(
      and(
        eq(cloudAccounts.organizationId, ctx.organizationId),
        eq(cloudAccounts.id, input.accountId),
      ),
    );
  if (!row) throw new AppError("not_found", "No such cloud account in this organisation.");
  return presentAccount(row);
}
