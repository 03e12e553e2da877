import { memberships, users } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { type MemberDto, presentMember } from "./present.ts";

/** The organisation's members, newest first. */
export async function listMembers({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput>): Promise<Page<MemberDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select({ membership: memberships, user: { email: users.email, name: users.name } })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organizationId, ctx.organizationId),
        after ? lt(memberships.id, after) : undefined,
      ),
    )
    .orderBy(desc(memberships.id))
    .limit(input.limit + 1);
  return toPage(
    rows.map((row) => presentMember(row.membership, row.user)),
    input.limit,
  );
}
