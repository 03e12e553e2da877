import { type Database, memberships, type Role, type SsoConnection, users } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { RequestContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { roleAtLeast } from "../../permissions.ts";

/** Who the identity provider says signed in, after claim mapping. */
export interface SsoIdentity {
  subject: string;
  email: string;
  name: string;
  groups: string[];
}

/** The most powerful role any of the person's groups maps to; owner is never mapped. */
export function roleFromGroups(connection: SsoConnection, groups: string[]): Role | undefined {
  let best: Role | undefined;
  for (const group of groups) {
    const role = connection.groupRoles[group];
    if (role === undefined || role === "owner") continue;
    if (best === undefined || roleAtLeast(role, best)) best = role;
  }
  return best;
}

/**
 * Finds or creates (just in time) the user and their membership. The user is matched by email,
 * which the caller has checked lies in a domain this organisation verified. A mapped group sets
 * the role at every sign-in, so removing someone from the IdP group lowers their role here;
 * owners are left as they are, so the IdP can neither make nor unmake an owner.
 */
export async function provisionMember(
  tx: Database,
  ctx: RequestContext,
  connection: SsoConnection,
  identity: SsoIdentity,
): Promise<string> {
  const organizationId = connection.organizationId;
  const mapped = roleFromGroups(connection, identity.groups);
  const audit = (action: string, targetId: string, details: Record<string, unknown>) =>
    recordAudit(
      tx,
      { ...ctx, actor: { type: "system", id: "sso" } },
      {
        organizationId,
        action,
        targetType: "member",
        targetId,
        details: { email: identity.email, subject: identity.subject, ...details },
      },
    );

  const [existingUser] = await tx.select().from(users).where(eq(users.email, identity.email));
  const [membership] = existingUser
    ? await tx
        .select()
        .from(memberships)
        .where(
          and(
            eq(memberships.organizationId, organizationId),
            eq(memberships.userId, existingUser.id),
          ),
        )
    : [];

  if (membership) {
    if (mapped !== undefined && membership.role !== "owner" && membership.role !== mapped) {
      await tx
        .update(memberships)
        .set({ role: mapped })
        .where(
          and(eq(memberships.organizationId, organizationId), eq(memberships.id, membership.id)),
        );
      await audit("member.role_sync", membership.id, { from: membership.role, to: mapped });
    }
    return membership.userId;
  }

  if (!connection.jitEnabled) {
    throw new AppError(
      "forbidden",
      `${identity.email} is not a member of this organisation; ask an admin for an invitation.`,
    );
  }
  const user =
    existingUser ??
    (
      await tx
        .insert(users)
        .values({
          email: identity.email,
          name: identity.name,
          passwordHash: null,
        })
        .returning()
    )[0];
  if (!user) throw new Error("insert into users returned no row");

  const role = mapped ?? connection.defaultRole;
  const [created] = await tx
    .insert(memberships)
    .values({ organizationId, userId: user.id, role })
    .returning({ id: memberships.id });
  if (!created) throw new Error("insert into memberships returned no row");
  await audit("member.jit_create", created.id, { role, newUser: existingUser === undefined });
  return user.id;
}
