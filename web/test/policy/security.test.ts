import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillPath } from "../security/route-case.ts";
import type { TestServer } from "../support/app.ts";
import { type CallOptions, call } from "../support/client.ts";
import { buildWorld, type OrgObjects, type World } from "../support/world.ts";
import { deployCases } from "./security-cases.ts";
import { startDeployApp } from "./support.ts";

// FIXME(deploy): a stopgap for the shared suite. Once web/test/security/routes/index.ts spreads
// deployCases and routes/index.ts spreads deployRouters, the shared suite runs every check on
// these routes and this file should be deleted. Until then it proves the core refusals.
let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startDeployApp();
  world = await buildWorld(server);
});
afterAll(async () => server?.close());

const pathFor = (c: (typeof deployCases)[number], o: OrgObjects) =>
  fillPath(c.path, c.params?.(o) ?? { orgId: o.orgId });

describe("every Deploy route has a case", () => {
  it("lists exactly the Deploy routes the app registers", () => {
    const registered = server.app.openAPIRegistry.definitions
      .flatMap((d) =>
        d.type === "route" ? [`${d.route.method.toUpperCase()} ${d.route.path}`] : [],
      )
      .filter(
        (name) =>
          deployCases.some((c) => name.endsWith(c.path)) ||
          /\/(objects|services|profiles|rule-sets|policy)/.test(name),
      );
    expect(deployCases.map((c) => `${c.method} ${c.path}`).sort()).toEqual(registered.sort());
  });
});

describe.each(deployCases)("$method $path", (route) => {
  const send = (path: string, options: CallOptions) =>
    call(server.app, route.method, path, {
      ...(route.method === "GET" ? {} : { body: route.body?.(world) }),
      ...options,
    });

  it("answers 401 without credentials", async () => {
    expect((await send(pathFor(route, world.a), {})).status).toBe(401);
  });

  it("hides another organisation (404) from a member and from a write key", async () => {
    const asOwner = await send(pathFor(route, world.b), { cookie: world.ownerA.cookie });
    expect({ status: asOwner.status, body: asOwner.body }).toMatchObject({ status: 404 });
    const asKey = await send(pathFor(route, world.b), { bearer: world.writeKeyA });
    expect(asKey.status).toBe(404);
  });

  it.skipIf(route.access === "viewer")("refuses a viewer's write (403)", async () => {
    const result = await send(pathFor(route, world.a), { cookie: world.viewerA.cookie });
    expect({ status: result.status, code: result.json.code }).toEqual({
      status: 403,
      code: "forbidden",
    });
  });

  it.skipIf(route.method === "GET")("refuses a cross-site cookie write (403)", async () => {
    const result = await call(server.app, route.method, pathFor(route, world.a), {
      body: route.body?.(world),
      headers: { Cookie: `rf_session=${world.ownerA.cookie}`, Origin: "https://attacker.example" },
    });
    expect(result.json.code).toBe("csrf_rejected");
  });
});
