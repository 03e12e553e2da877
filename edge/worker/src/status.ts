import { Hono } from "hono";
import type { AppEnv } from "./app.ts";
import { problem } from "./problem.ts";

/**
 * `/__ringfence/status`: what the isolate enforces and what it failed to report. It needs the
 * STATUS_TOKEN as a bearer token; every other path under `/__ringfence/` is reserved and
 * answered here, so it never reaches the origin.
 */
export function statusRoute(): Hono<AppEnv> {
  const route = new Hono<AppEnv>();

  route.get("/status", async (c) => {
    const { config, bundles, events, heartbeat } = c.get("runtime");
    const given = c.req.header("authorization") ?? "";
    if (!(await sameSecret(given, `Bearer ${config.statusToken}`))) {
      return problem("unauthorized", c.get("requestId"));
    }
    const body = {
      enforcerId: config.enforcerId,
      bundle: bundles.stats(),
      events: events.stats(),
      heartbeat: { failures: heartbeat.failures },
    };
    return c.json(body, 200, { "cache-control": "no-store", "x-request-id": c.get("requestId") });
  });

  route.all("*", (c) => problem("not-found", c.get("requestId")));
  return route;
}

/** Compares two secrets in time independent of where they differ (digests hide the length). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  const left = new Uint8Array(a);
  const right = new Uint8Array(b);
  let difference = 0;
  for (let index = 0; index < left.length; index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}
