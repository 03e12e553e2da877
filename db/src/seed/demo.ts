import { and, eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { hashPassword } from "../password.ts";
import { memberships, organizations, users } from "../schema/index.ts";
import { seedDemoEstate } from "./demo-estate.ts";

export const DEMO_ORGANIZATION = { name: "Acme Corp", slug: "acme" } as const;
export const DEMO_OWNER_EMAIL = "demo@ringfence.local";

/** What the demo seed created or found. */
export interface DemoSeed {
  organizationId: string;
  ownerUserId: string;
}

/**
 * Creates the demo organisation "Acme Corp" (slug `acme`) and its owner `demo@ringfence.local`
 * with the caller's password. Running it again changes nothing but the password, so it can run
 * at every start. Later parts extend the demo through their own seed functions, called after
 * this one with the ids it returns.
 */
export async function seedDemo(db: Database, options: { password: string }): Promise<DemoSeed> {
  if (options.password.length < 8) throw new Error("seedDemo: the password needs 8+ characters");
  const passwordHash = await hashPassword(options.password);

  return db.transaction(async (tx) => {
    await tx.insert(organizations).values(DEMO_ORGANIZATION).onConflictDoNothing();
    const [org] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, DEMO_ORGANIZATION.slug));
    if (!org) throw new Error("seedDemo: the demo organisation vanished while seeding");

    await tx
      .insert(users)
      .values({ email: DEMO_OWNER_EMAIL, name: "Demo Owner", passwordHash })
      .onConflictDoUpdate({ target: users.email, set: { passwordHash } });
    const [owner] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, DEMO_OWNER_EMAIL));
    if (!owner) throw new Error("seedDemo: the demo owner vanished while seeding");

    await tx
      .insert(memberships)
      .values({ organizationId: org.id, userId: owner.id, role: "owner" })
      .onConflictDoNothing();
    await tx
      .update(memberships)
      .set({ role: "owner" })
      .where(and(eq(memberships.organizationId, org.id), eq(memberships.userId, owner.id)));

    await seedDemoEstate(tx, org.id);
    return { organizationId: org.id, ownerUserId: owner.id };
  });
}
