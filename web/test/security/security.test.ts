import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { type CallOptions, type CallResult, call } from "../support/client.ts";
import { buildWorld, type OrgObjects, type World } from "../support/world.ts";
import { fillPath, type RouteCase } from "./route-case.ts";
import { routeCases } from "./routes/index.ts";

// The shared security suite: every route, the same refusals. Each check states the property it
// protects; a failure prints the route and the answer it got.
let server: TestServer;
let world: World;

beforeAll(async () => {
  server = await startTestApp();
  world = await buildWorld(server);
});
afterAll(async () => server?.close());

const isWrite = (route: RouteCase) => route.method !== "GET";
const isOrgScoped = (route: RouteCase) => route.path.includes("{orgId}");
const name = (route: RouteCase) => `${route.method} ${route.path}`;

function pathFor(route: RouteCase, objects: OrgObjects): string {
  return fillPath(route.path, route.params?.(objects) ?? { orgId: objects.orgId });
}

function send(route: RouteCase, path: string, options: CallOptions): Promise<CallResult> {
  const body = isWrite(route) && route.body ? route.body(world) : undefined;
  return call(server.app, route.method, path, { body, ...options });
}

function expectProblem(result: CallResult, status: number, route: RouteCase) {
  expect({ route: name(route), status: result.status, body: result.body }).toMatchObject({
    status,
  });
  expect(result.headers.get("content-type")).toContain("application/problem+json");
}

describe("every registered route has a security case", () => {
  it("lists exactly the routes the app registers", () => {
    const registered = server.app.openAPIRegistry.definitions
      .flatMap((definition) => (definition.type === "route" ? [definition.route] : []))
      .map((route) => `${route.method.toUpperCase()} ${route.path}`)
      .sort();
    expect(routeCases.map(name).sort()).toEqual(registered);
  });
});

describe.each(routeCases)("$method $path", (route) => {
  it.skipIf(route.access === "anonymous")("answers 401 without credentials", async () => {
    expectProblem(await send(route, pathFor(route, world.a), {}), 401, route);
  });

  it.skipIf(route.access === "anonymous")("answers 401 to a revoked API key", async () => {
    const result = await send(route, pathFor(route, world.a), { bearer: world.revokedKeyA });
    expectProblem(result, 401, route);
  });

  it.skipIf(!isOrgScoped(route))("hides another organisation's objects (404)", async () => {
    const asOwner = { cookie: world.ownerA.cookie };
    expectProblem(await send(route, pathFor(route, world.b), asOwner), 404, route);

    const asKey = { bearer: world.writeKeyA };
    expectProblem(await send(route, pathFor(route, world.b), asKey), 404, route);

    // Our organisation in the path, their object's id: still not found, never their object.
    const mixed = { ...world.b, orgId: world.a.orgId };
    if (route.params) expectProblem(await send(route, pathFor(route, mixed), asOwner), 404, route);
  });

  const viewerMayNot = isWrite(route) && !["anonymous", "user", "viewer"].includes(route.access);
  it.skipIf(!viewerMayNot)("refuses a viewer's write (403)", async () => {
    const result = await send(route, pathFor(route, world.a), { cookie: world.viewerA.cookie });
    expectProblem(result, 403, route);
    expect(result.json.code).toBe("forbidden");
  });

  const crossSite: [string, CallOptions][] = [
    ["Sec-Fetch-Site: cross-site", { headers: { "Sec-Fetch-Site": "cross-site" } }],
    ["a foreign Origin", { headers: { Origin: "https://attacker.example" } }],
    ["Origin: null", { headers: { Origin: "null" } }],
    [
      "a foreign Origin without Content-Type",
      { headers: { Origin: "https://attacker.example" }, noContentType: true },
    ],
    ["no Origin, no Sec-Fetch-Site, no Content-Type", { noContentType: true }],
  ];
  it.skipIf(!isWrite(route)).each(crossSite)(
    "refuses a cookie write with %s (403)",
    async (_, options) => {
      // The cookie goes in by hand so that no same-origin Origin header is added for us.
      const result = await call(server.app, route.method, pathFor(route, world.a), {
        body: route.body?.(world),
        noContentType: options.noContentType,
        headers: { Cookie: `rf_session=${world.ownerA.cookie}`, ...options.headers },
      });
      expectProblem(result, 403, route);
      expect(result.json.code).toBe("csrf_rejected");
    },
  );
});
