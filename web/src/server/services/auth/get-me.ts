import { memberships, organizations, users } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { presentUser } from "./present.ts";

/** The signed-in user and the organisations they belong to, with their role in each. */
export async function getMe({ ctx }: ServiceCall<ServiceContext, Record<string, never>>) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.actor.id));
  if (!user) throw new AppError("unauthenticated", "The session's user no longer exists.");

  const orgs = await ctx.db
    .select({
      id: organizations.id,
      name: organizations.name,
      slug: organizations.slug,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, user.id))
    .orderBy(organizations.name);
  return { user: presentUser(user), organizations: orgs };
}
