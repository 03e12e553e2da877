import type { Database } from "@ringfence/db";
import { type Membership, memberships, type Role, users } from "@ringfence/db";
import { and, count, eq } from "@ringfence/db/orm";
import type { OrgContext } from "../../context.ts";
import { AppError } from "../../errors.ts";

/**
 * Loads a member of the context's organisation for a change and enforces the owner rules: only
 * an owner may touch an owner or make one, and the last owner can be neither demoted nor removed,
 * so an organisation is never left without someone who can manage it.
 */
export async function loadMemberForChange(
  tx: Database,
  ctx: OrgContext,
  memberId: string,
  newRole: Role | undefined,
): Promise<{ membership: Membership; user: { email: string; name: string } }> {
  const [row] = await tx
    .select({ membership: memberships, user: { email: users.email, name: users.name } })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, ctx.organizationId), eq(memberships.id, memberId)))
    .for("update", { of: memberships });
  if (!row) throw new AppError("not_found", `No member ${memberId} in this organisation.`);

  const touchesOwner = row.membership.role === "owner" || newRole === "owner";
  if (touchesOwner && ctx.role !== "owner") {
    throw new AppError("forbidden", "Only an owner may grant, change or remove the owner role.");
  }
  if (row.membership.role === "owner" && newRole !== "owner") {
    await ensureAnotherOwner(tx, ctx.organizationId);
  }
  return row;
}

async function ensureAnotherOwner(tx: Database, organizationId: string): Promise<void> {
  const [owners] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "owner")));
  if ((owners?.n ?? 0) <= 1) {
    throw new AppError("conflict", "The last owner cannot be demoted or removed.");
  }
}
