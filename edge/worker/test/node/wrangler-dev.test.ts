import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolvePolicy } from "@ringfence/engine/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as writeDevVars } from "../../scripts/dev-vars.ts";
import { startControlPlane, startOrigin } from "./servers.ts";
import { type DevServer, startWranglerDev } from "./wrangler-dev.ts";

const CREDENTIAL = "rfe_smoke_0123456789abcdef";
const ORIGIN_SECRET = "smoke-origin-secret-0123456789abcdef";
const scratch = mkdtempSync(join(tmpdir(), "ringfence-wrangler-dev-"));
let origin: Awaited<ReturnType<typeof startOrigin>>;
let control: Awaited<ReturnType<typeof startControlPlane>>;
let edge: DevServer;

// The documented local run: .dev.vars from the script, `wrangler dev` on 127.0.0.1, offline.
beforeAll(async () => {
  origin = await startOrigin(ORIGIN_SECRET);
  control = await startControlPlane("org-smoke");
  const vars = join(scratch, "dev.vars");
  const keys = [{ keyId: control.state.keys.keyId, publicKey: control.state.keys.publicKey }];
  writeDevVars([
    ...["--control-plane-url", `${control.url}/`, "--credential", CREDENTIAL],
    ...["--organization-id", "org-smoke", "--trusted-keys", JSON.stringify(keys)],
    ...["--origin-url", origin.url, "--origin-secret", ORIGIN_SECRET, "--out", vars],
  ]);
  edge = await startWranglerDev([
    ...["--env-file", vars, "--var", "BUNDLE_MAX_STALENESS_SECONDS:1"],
    ...["--persist-to", join(scratch, "state"), "--show-interactive-dev-session=false"],
  ]);
}, 180_000);

afterAll(async () => {
  await edge?.stop();
  origin?.server.close();
  control?.server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const policy = resolvePolicy(
  {
    schemaVersion: 1,
    objects: [{ id: "local", kind: "static", addresses: ["127.0.0.0/8", "::1/128"] }],
    ruleSets: [
      {
        id: "edge",
        defaultAction: "deny",
        rules: [{ id: "local-in", sources: ["local"], action: "allow" }],
      },
    ],
  },
  { schemaVersion: 1, assets: [] },
);

describe("wrangler dev, as documented", () => {
  it("fails closed until a bundle is published, then forwards with a signature the origin accepts", async () => {
    const closed = await fetch(`${edge.url}/orders`);
    expect(closed.status).toBe(503);
    await closed.body?.cancel();

    await fetch(`${control.url}/__test/${CREDENTIAL}/publish`, {
      method: "POST",
      body: JSON.stringify(policy),
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const open = await fetch(`${edge.url}/orders`);
    expect(open.status).toBe(200);
    expect(await open.json()).toMatchObject({ path: "/orders" });
  });
});
