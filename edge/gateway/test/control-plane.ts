import http from "node:http";
import type net from "node:net";
import { generateSigningKeyPair, type SignedBundle, signBundle } from "@ringfence/engine/bundle";
import { MAX_EVENTS_BODY_BYTES, MAX_EVENTS_PER_BATCH } from "@ringfence/engine/control";
import type { DecisionEvent } from "@ringfence/engine/documents";

/**
 * A small control plane on 127.0.0.1 speaking the enforcer contract of @ringfence/engine/control
 * (register, long-polled bundle with ETag, status, events), signing real Ed25519 bundles. It can
 * be switched off to test the gateway's behaviour while the control plane is unreachable.
 */
export type TestControlPlane = {
  url: string;
  publish(policy: Record<string, unknown>): Promise<SignedBundle>;
  /** Publishes a bundle whose signature does not verify. */
  publishTampered(policy: Record<string, unknown>): Promise<void>;
  setDown(down: boolean): void;
  batches: DecisionEvent[][];
  /** Body sizes of event uploads refused with 413. */
  oversized: number[];
  /** Bodies of registration requests, one per enforcer process that registered. */
  registrations: string[];
  statuses: unknown[];
  close(): Promise<void>;
};

export async function startControlPlane(): Promise<TestControlPlane> {
  const keys = await generateSigningKeyPair();
  let current: SignedBundle | undefined;
  let version = 0;
  let down = false;
  const waiters = new Set<() => void>();
  const batches: DecisionEvent[][] = [];
  const oversized: number[] = [];
  const registrations: string[] = [];
  const statuses: unknown[] = [];

  const server = http.createServer(async (req, res) => {
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => resolve(Buffer.concat(chunks).toString()));
    });
    const url = new URL(req.url ?? "/", "http://control.test");
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { "content-type": "application/json", ...headers })
        .end(JSON.stringify(value));
    };
    if (down) return json(503, { error: { code: "unavailable" } });
    if (url.pathname === "/api/v1/enforcers/register") {
      registrations.push(body);
      return json(200, {
        enforcerId: "gw-1",
        organizationId: "org-1",
        name: "gateway one",
        kind: "gateway",
        credential: "rfe_test-credential",
        trustedKeys: [{ keyId: keys.keyId, publicKey: keys.publicKey }],
      });
    }
    if (url.pathname === "/api/v1/enforcer/bundle") {
      const wait = Number(url.searchParams.get("wait") ?? 0);
      const held = (req.headers["if-none-match"] ?? "").replaceAll('"', "");
      if (current && held === current.hash && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait * 1000);
          waiters.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (!current || held === current.hash) return res.writeHead(304).end();
      return json(200, current.envelope, {
        etag: `"${current.hash}"`,
        "x-ringfence-bundle-version": String(current.version),
      });
    }
    if (url.pathname === "/api/v1/enforcer/status") {
      statuses.push(JSON.parse(body));
      return res.writeHead(204).end();
    }
    if (url.pathname === "/api/v1/enforcer/events") {
      const parsed = JSON.parse(body) as { events: DecisionEvent[] };
      // The contract's limits, as the real control plane enforces them.
      if (
        parsed.events.length > MAX_EVENTS_PER_BATCH ||
        Buffer.byteLength(body) > MAX_EVENTS_BODY_BYTES
      ) {
        oversized.push(Buffer.byteLength(body));
        return json(413, { error: { code: "too-large" } });
      }
      batches.push(parsed.events);
      return json(200, { accepted: parsed.events.length, duplicates: 0 });
    }
    json(404, { error: { code: "not-found" } });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );

  const release = () => {
    for (const wake of waiters) wake();
    waiters.clear();
  };
  const sign = (policy: Record<string, unknown>) => {
    version += 1;
    const payload = {
      format: 1 as const,
      organizationId: "org-1",
      version,
      createdAt: new Date().toISOString(),
      policy,
      keys: {},
    };
    return signBundle(payload, keys.privateKey, keys.keyId);
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    publish: async (policy) => {
      current = await sign(policy);
      release();
      return current;
    },
    publishTampered: async (policy) => {
      const signed = await sign(policy);
      const flipped = signed.envelope.signature.startsWith("A") ? "B" : "A";
      current = {
        ...signed,
        envelope: { ...signed.envelope, signature: flipped + signed.envelope.signature.slice(1) },
      };
      release();
    },
    setDown: (value) => {
      down = value;
    },
    batches,
    oversized,
    registrations,
    statuses,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
