import { cloudAccounts } from "@ringfence/db";
import type { Asset } from "@ringfence/engine/documents";
import { applyDiscovery } from "../../src/server/discovery/sync/index.ts";
import { assetScope } from "../../src/server/discovery/types.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

/** The API on the same PGlite/PostgreSQL choice as every API suite. */
export function startDeployApp(): Promise<TestServer> {
  return startTestApp();
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
