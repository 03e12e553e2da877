import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamPool } from "../src/egress/upstream.ts";
import { PolicyHolder } from "../src/engine/policy.ts";
import { rulesPolicy, startTestGateway } from "./helpers.ts";

const HOST = "api.test";
const resolved: Record<string, string[]> = { [HOST]: ["127.0.0.5"] };

type Upstream = { server: http.Server; inFlight: number; peak: number };
const upstreams = new Map<string, Upstream>();
let port = 0;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
// Requests to /barrier are held until this many are in flight at once, so they can only finish
// if the gateway really opens several upstream connections in parallel.
const BARRIER = 4;
const waiting: Array<() => void> = [];

function startUpstream(address: string, at: number): Promise<number> {
  const state: Upstream = { server: http.createServer(), inFlight: 0, peak: 0 };
  state.server.on("request", (request, response) => {
    state.inFlight += 1;
    state.peak = Math.max(state.peak, state.inFlight);
    const answer = () => {
      state.inFlight -= 1;
      response.end(address);
    };
    if (request.url !== "/barrier") return answer();
    waiting.push(answer);
    if (waiting.length >= BARRIER) for (const release of waiting.splice(0)) release();
  });
  upstreams.set(address, state);
  return new Promise((resolve) =>
    state.server.listen(at, address, () =>
      resolve((state.server.address() as net.AddressInfo).port),
    ),
  );
}

/** One absolute-form request through the gateway on a kept-alive agent. */
function viaGateway(
  agent: http.Agent,
  path: string,
  through = gateway,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: through.proxyPort,
        path: `http://${HOST}:${port}${path}`,
        headers: { host: `${HOST}:${port}` },
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

beforeAll(async () => {
  port = await startUpstream("127.0.0.5", 0);
  await startUpstream("127.0.0.6", port);
  gateway = await startTestGateway({
    resolver: async (name) => resolved[name] ?? [],
    // These tests change the answer between requests, so every request asks the resolver.
    resolverCacheMs: 0,
    egressAllow: ["127.0.0.5/32", "127.0.0.6/32"],
    policy: new PolicyHolder(rulesPolicy([{ id: "r1", src: ["127.0.0.1"], host: HOST }])),
  });
});
afterAll(async () => {
  await gateway.close(100);
  for (const { server } of upstreams.values()) server.close();
});

describe("upstream connection pools", () => {
  it("serves concurrent requests to one upstream over several kept-alive connections", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: BARRIER });
    const answers = await Promise.all(
      Array.from({ length: BARRIER }, () => viaGateway(agent, "/barrier")),
    );
    agent.destroy();

    expect(answers.map((answer) => answer.status)).toEqual(Array(BARRIER).fill(200));
    expect(upstreams.get("127.0.0.5")?.peak).toBe(BARRIER);
  });

  it("dials the address judged for each request, never a warm connection to an older one", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await viaGateway(agent, "/who");
    resolved[HOST] = ["127.0.0.6"];
    const second = await viaGateway(agent, "/who");
    resolved[HOST] = ["169.254.169.254"];
    const third = await viaGateway(agent, "/who");
    agent.destroy();

    expect(first).toEqual({ status: 200, body: "127.0.0.5" });
    expect(second).toEqual({ status: 200, body: "127.0.0.6" });
    expect(third.status).toBe(403);
    expect(gateway.events.at(-1)?.detections?.[0]?.id).toMatch(/^gateway\.egress\./);
  });
});

describe("resolver answers reused for their lifetime", () => {
  const TTL_MS = 300;
  const answers: Record<string, string[]> = { [HOST]: ["127.0.0.5"] };
  const asked: string[] = [];
  let cached: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    cached = await startTestGateway({
      resolver: async (name) => {
        asked.push(name);
        return answers[name] ?? [];
      },
      resolverCacheMs: TTL_MS,
      egressAllow: ["127.0.0.5/32", "127.0.0.6/32"],
      policy: new PolicyHolder(rulesPolicy([{ id: "r1", src: ["127.0.0.1"], host: HOST }])),
    });
  });
  afterAll(() => cached.close(100));

  it("asks once per lifetime, then dials and judges the fresh answer", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await viaGateway(agent, "/who", cached);
    answers[HOST] = ["127.0.0.6"];
    const reused = await viaGateway(agent, "/who", cached);
    expect(asked).toEqual([HOST]);
    expect([first, reused]).toEqual([
      { status: 200, body: "127.0.0.5" },
      { status: 200, body: "127.0.0.5" },
    ]);

    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50));
    const fresh = await viaGateway(agent, "/who", cached);
    answers[HOST] = ["169.254.169.254"];
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50));
    const rebound = await viaGateway(agent, "/who", cached);
    agent.destroy();

    expect(asked).toEqual([HOST, HOST, HOST]);
    expect(fresh).toEqual({ status: 200, body: "127.0.0.6" });
    expect(rebound.status).toBe(403);
    expect(cached.events.at(-1)?.detections?.[0]?.id).toBe("gateway.egress.metadata-address");
  });

  it("never keeps a failed or empty answer", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    answers[HOST] = [];
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 50));
    const before = asked.length;
    const empty = await viaGateway(agent, "/who", cached);
    answers[HOST] = ["127.0.0.5"];
    const recovered = await viaGateway(agent, "/who", cached);
    agent.destroy();

    expect(empty.status).toBe(403);
    expect(recovered).toEqual({ status: 200, body: "127.0.0.5" });
    expect(asked.length - before).toBe(2);
  });
});

describe("upstream client per target", () => {
  it("hands out one client per scheme, name, judged address and port, and a new one once closed", async () => {
    const pool = new UpstreamPool();
    const target = { host: HOST, address: "127.0.0.5", port: 8443, tls: true };
    const first = pool.clientFor(target);
    expect(pool.clientFor({ ...target })).toBe(first);

    const others = [
      { ...target, address: "127.0.0.6" },
      { ...target, host: "other.test" },
      { ...target, port: 8444 },
      { ...target, tls: false },
    ].map((other) => pool.clientFor(other));
    expect(new Set([first, ...others]).size).toBe(5);
    // Asked again after the others, the first target still gets its own client back.
    expect(pool.clientFor(target)).toBe(first);

    await first.close();
    const replaced = pool.clientFor(target);
    expect(replaced).not.toBe(first);
    expect(pool.clientFor(target)).toBe(replaced);
    await pool.close();
  });
});
