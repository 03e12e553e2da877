import { invitations } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { type InvitationDto, presentInvitation } from "./present.ts";

/** Every invitation of the organisation with its status, newest first. */
export async function listInvitations({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput>): Promise<Page<InvitationDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, ctx.organizationId),
        after ? lt(invitations.id, after) : undefined,
      ),
    )
    .orderBy(desc(invitations.id))
    .limit(input.limit + 1);
  const now = new Date();
  return toPage(
    rows.map((row) => presentInvitation(row, now)),
    input.limit,
  );
}
