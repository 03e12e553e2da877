import type { Database, Transaction } from "../client.ts";
import { seedDemoInventory } from "./demo-inventory.ts";
import { seedDemoPolicy } from "./demo-policy.ts";

/**
 * The demo organisation's estate for the breach replay (docs/breach-replay.md): its AWS and
 * Azure inventory and its draft policy. Idempotent, like the rest of the demo seed.
 */
export async function seedDemoEstate(
  db: Database | Transaction,
  organizationId: string,
): Promise<void> {
  await seedDemoInventory(db, organizationId);
  await seedDemoPolicy(db, organizationId);
}
