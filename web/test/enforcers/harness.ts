import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { BundleVerifier } from "@ringfence/engine/bundle";
import { EnforcerClient, type EnforcerKind } from "@ringfence/engine/control";
import { prepareEnforcement } from "../../src/server/services/enforcers/http.ts";
import type { EnforcementSettings } from "../../src/server/services/enforcers/runtime.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

/** A fresh key-encryption key, as base64 of 32 random bytes. */
export function randomKek(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
}

/** The real control plane, served over HTTP on 127.0.0.1, with one organisation and its owner. */
export interface ControlPlane {
  server: TestServer;
  url: string;
  owner: TestUser;
  orgId: string;
  runtime: Awaited<ReturnType<typeof prepareEnforcement>>;
  /** The KEK it runs with, base64, for tests that restart or rotate it. */
  kek: string;
  admin(method: string, path: string, body?: unknown): ReturnType<typeof call>;
  close(): Promise<void>;
}

export async function startControlPlane(
  settings: Partial<EnforcementSettings> = {},
): Promise<ControlPlane> {
  // The app and the runtime with its settings share one KEK, as one process would.
  const kek = randomKek();
  const server = await startTestApp({ RINGFENCE_KEK: kek });
  const runtime = await prepareEnforcement({
    db: server.database.db,
    env: { RINGFENCE_KEK: kek },
    dataDir: undefined,
    settings: { recheckMs: 200, ...settings },
  });
  const listening = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const running = serve({ fetch: server.app.fetch, hostname: "127.0.0.1", port: 0 }, () =>
      resolve(running),
    );
  });
  const { port } = listening.address() as AddressInfo;
  await assertEnforcerBearersReachRoutes(server);
  const owner = await signUpUser(server.app, "enforcement-owner");
  const orgId = await createOrg(
    server.app,
    owner,
    `enf-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
  );

  const admin = (method: string, path: string, body?: unknown) =>
    call(server.app, method, `/api/v1/orgs/${orgId}${path}`, { cookie: owner.cookie, body });
  const close = async () => {
    // Clients keep connections alive; close them rather than wait for them to idle out.
    const closing = new Promise<void>((resolve) => listening.close(() => resolve()));
    if ("closeAllConnections" in listening) listening.closeAllConnections();
    await closing;
    await server.close();
  };
  const url = `http://127.0.0.1:${port}/`;
  return { server, url, owner, orgId, runtime, kek, admin, close };
}

/** A policy whose one rule id carries `marker`, so each publish has different content. */
export function policy(marker: string) {
  return {
    schemaVersion: 1,
    objects: [{ id: "web", kind: "dynamic", selector: 'tag.Role == "web"' }],
    services: [],
    ruleSets: [
      {
        id: "main",
        defaultAction: "deny",
        rules: [
          {
            id: `deny-metadata-${marker}`,
            sources: ["web"],
            destinations: ["builtin:cloud-metadata"],
            action: "deny",
          },
        ],
      },
    ],
  };
}

export const inventory = {
  schemaVersion: 1,
  assets: [
    {
      id: "web-1",
      provider: "aws",
      kind: "instance",
      account: "111122223333",
      region: "us-east-1",
      addresses: { private: ["10.0.1.10"], public: [] },
      attributes: {},
      tags: { Role: "web" },
    },
  ],
};

/** Publishes a policy through the API and returns the new version. */
export async function publish(plane: ControlPlane, marker: string): Promise<number> {
  const result = await plane.admin("POST", "/bundles", { policy: policy(marker), inventory });
  if (result.status !== 201) throw new Error(`publish failed: ${JSON.stringify(result.body)}`);
  return result.json.version as number;
}

/** Creates a registration token through the API. */
export async function registrationToken(plane: ControlPlane, name: string): Promise<string> {
  const result = await plane.admin("POST", "/enforcer-registrations", { name });
  if (result.status !== 201) throw new Error(`token failed: ${JSON.stringify(result.body)}`);
  return result.json.token as string;
}

/** A registered enforcer: the real client and a verifier seeded with the keys it received. */
export async function registerEnforcer(
  plane: ControlPlane,
  name: string,
  kind: EnforcerKind = "gateway",
) {
  const client = new EnforcerClient({ baseUrl: plane.url, allowInsecureLoopback: true });
  const answer = await client.register(await registrationToken(plane, name), { kind });
  const verifier = BundleVerifier.create(answer.organizationId, answer.trustedKeys);
  return { client, verifier, answer };
}

/**
 * The enforcer routes authenticate `Bearer rfe_…` and `Bearer rfr_…` themselves, which needs
 * the app's API-key middleware to leave those bearers alone. Fails once, clearly, when it does
 * not, instead of every test failing with a confusing API-key message.
 */
async function assertEnforcerBearersReachRoutes(server: TestServer): Promise<void> {
  const probe = await call(server.app, "POST", "/api/v1/enforcers/register", {
    bearer: "rfr_probe",
    body: { kind: "gateway" },
  });
  if (String(probe.json.detail).includes("API key")) {
    throw new Error(
      "middleware/authenticate.ts refuses enforcer bearers before the enforcer routes see them; " +
        "it must skip `Bearer rfe_…` and `Bearer rfr_…` (see docs/contract.md, Authentication)",
    );
  }
}
