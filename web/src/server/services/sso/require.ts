import { memberships, organizations, ssoConnections } from "@ringfence/db";
import { and, eq, ne } from "@ringfence/db/orm";
import type { RequestContext } from "../../context.ts";
import { AppError } from "../../errors.ts";

/**
 * Refuses password sign-in to a member of an organisation that requires SSO. Owners are the
 * break-glass path: they keep their password (and second factor) so a broken or lost identity
 * provider cannot lock an organisation out of its own settings; their password sign-ins are
 * visible in the session list as `password`. Called after the password was checked, so the
 * answer tells nothing to someone who does not know it.
 */
export async function assertPasswordSignInAllowed(
  ctx: RequestContext,
  userId: string,
): Promise<void> {
  const [required] = await ctx.db
    .select({ name: organizations.name, slug: organizations.slug })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .innerJoin(ssoConnections, eq(ssoConnections.organizationId, memberships.organizationId))
    .where(
      and(
        eq(memberships.userId, userId),
        ne(memberships.role, "owner"),
        eq(ssoConnections.requireSso, true),
        eq(ssoConnections.enabled, true),
      ),
    )
    .limit(1);
  if (required) {
    throw new AppError(
      "forbidden",
      `${required.name} requires single sign-on: sign in with SSO (organisation ${required.slug}).`,
    );
  }
}
