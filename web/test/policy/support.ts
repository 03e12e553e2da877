import { cloudAccounts } from "@ringfence/db";
import type { Asset } from "@ringfence/engine/documents";
import { applyDiscovery } from "../../src/server/discovery/sync/index.ts";
import { assetScope } from "../../src/server/discovery/types.ts";
import { routers } from "../../src/server/routes/index.ts";
import { deployRouters } from "../../src/server/routes/policy.ts";
import { prepareEnforcement } from "../../src/server/services/enforcers/http.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

/**
 * The API with Deploy's routers mounted and the enforcement runtime prepared (publishing
 * signs bundles), on the same PGlite/PostgreSQL choice as every API suite.
 */
// FIXME(deploy): routes/index.ts (Foundation) does not spread deployRouters yet, so the test
// adds them here; once it does, the `includes` check makes this a no-op and it can go.
export async function startDeployApp(): Promise<TestServer> {
  for (const router of deployRouters) if (!routers.includes(router)) routers.push(router);
  const server = await startTestApp();
  const kek = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  await prepareEnforcement({
    db: server.database.db,
    env: { RINGFENCE_KEK: kek },
    dataDir: undefined,
  });
  return server;
}

/** An organisation with its owner, ready for policy work. */
export interface DeployOrg {
  owner: TestUser;
  orgId: string;
  accountId: string;
}

export async function deployOrg(server: TestServer, label: string): Promise<DeployOrg> {
  const owner = await signUpUser(server.app, label);
  const orgId = await createOrg(server.app, owner, `${label}-${Date.now()}`);
  const [account] = await server.database.db
    .insert(cloudAccounts)
    .values({
      organizationId: orgId,
      provider: "aws",
      name: "demo",
      cloudAccountId: "111122223333",
      offline: true,
    })
    .returning();
  if (!account) throw new Error("account insert returned nothing");
  return { owner, orgId, accountId: account.id };
}

/** An EC2 instance in the demo account with the given tags and private address. */
export function instance(id: string, ip: string, tags: Record<string, string>): Asset {
  return {
    id,
    provider: "aws",
    kind: "instance",
    account: "111122223333",
    region: "us-east-1",
    name: id,
    addresses: { private: [ip], public: [] },
    attributes: { vpc: "vpc-1" },
    tags,
  };
}

/** Replaces the account's instances through the discovery engine's own apply step. */
export async function setInventory(server: TestServer, org: DeployOrg, assets: Asset[]) {
  const scopes = ["region:us-east-1", ...new Set(assets.map(assetScope))];
  await applyDiscovery(
    server.database.db,
    { organizationId: org.orgId, accountId: org.accountId },
    { assets, scopes: [...new Set(scopes)] },
  );
}

/** A call as the organisation's owner. */
export function as(server: TestServer, org: DeployOrg) {
  return (method: string, path: string, body?: unknown) =>
    call(server.app, method, `/api/v1/orgs/${org.orgId}${path}`, {
      cookie: org.owner.cookie,
      ...(body === undefined ? {} : { body }),
    });
}
