import type { Database } from "@ringfence/db";
import type { Context } from "hono";
import type { AppEnv } from "../../context.ts";
import type { DiscoveryConnections } from "../../discovery/config.ts";

// FIXME(discovery): carry the connections in CreateAppOptions and the Hono context (owned by
// the Foundation), as enforcement and report would like too; this registry exists only because
// createApp has no slot for them.
const connections = new WeakMap<Database, DiscoveryConnections>();

/** Makes the discovery connections available to the account routes of this database. */
export function prepareDiscovery(db: Database, value: DiscoveryConnections): DiscoveryConnections {
  connections.set(db, value);
  return value;
}

/**
 * The connections of the request's database. None prepared means no provider is configured:
 * Verify then says so rather than failing, since a control plane without cloud settings is
 * a valid (offline) deployment.
 */
export function discoveryOf(c: Context<AppEnv>): DiscoveryConnections {
  return connections.get(c.get("db")) ?? { awsSetup: {} };
}
