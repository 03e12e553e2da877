import net from "node:net";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { staticResolver } from "../src/egress/dial.ts";
import { compilePolicy, type PolicyHandle, PolicyHolder } from "../src/engine/policy.ts";
import { type GatewayOptions, type RunningGateway, startGateway } from "../src/gateway.ts";

/** A raw upstream on 127.0.0.1 that records every byte it receives and answers 200 "ok". */
export type Capture = { port: number; received: () => string; close: () => Promise<void> };

export async function startCapture(): Promise<Capture> {
  const chunks: Buffer[] = [];
  const server = net.createServer((socket) => {
    let seen = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      seen = Buffer.concat([seen, chunk]);
      if (seen.includes("\r\n\r\n")) {
        socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
      }
    });
    socket.on("error", () => socket.destroy());
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
  return {
    port,
    received: () => Buffer.concat(chunks).toString("latin1"),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A rule of a test policy: which source addresses may reach which host, in which mode. */
export type TestRule = {
  id: string;
  src: string[];
  host: string;
  mode?: "forwarding" | "proxy";
  profiles?: string[];
};

/** A resolved policy in the engine's schema: one source and one FQDN object per rule. */
export function resolvedPolicy(
  rules: TestRule[],
  profiles: Record<string, unknown>[] = [],
): Record<string, unknown> {
  return {
    schemaVersion: 1,
    objects: rules.flatMap((rule) => [
      {
        id: `src-${rule.id}`,
        kind: "static",
        prefixes: rule.src.map((ip) => `${ip}/32`),
        hosts: [],
      },
      {
        id: `dst-${rule.id}`,
        kind: "fqdn",
        prefixes: [],
        hosts: [{ include: [rule.host], exclude: [] }],
      },
    ]),
    services: [],
    ruleSets: [
      {
        id: "main",
        defaultAction: "deny",
        rules: rules.map((rule) => ({
          id: rule.id,
          name: null,
          sources: [`src-${rule.id}`],
          destinations: [{ type: "object", id: `dst-${rule.id}` }],
          ports: null,
          action: "allow",
          mode: rule.mode ?? "forwarding",
          profiles: rule.profiles ?? [],
          monitor: false,
        })),
      },
    ],
    profiles,
  };
}

/** The engine's compiled index over `resolvedPolicy(rules)`. */
export function rulesPolicy(
  rules: TestRule[],
  version = 1,
  profiles: Record<string, unknown>[] = [],
): PolicyHandle {
  return compilePolicy(resolvedPolicy(rules, profiles), version);
}

/** Starts a gateway on 127.0.0.1:0 with a static resolver; collects its events. */
export async function startTestGateway(
  overrides: Partial<GatewayOptions> & { hosts?: Record<string, string[]> },
): Promise<RunningGateway & { events: DecisionEvent[] }> {
  const events: DecisionEvent[] = [];
  const gateway = await startGateway({
    enforcerId: "gw-test",
    proxy: { host: "127.0.0.1", port: 0 },
    policy: new PolicyHolder(),
    resolver: staticResolver(overrides.hosts ?? {}),
    egressAllow: ["127.0.0.0/8"],
    emit: (event) => events.push(event),
    ...overrides,
  });
  return { ...gateway, events };
}

/** Sends raw bytes from `localAddress` and returns everything received until the close. */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  localAddress = "127.0.0.1",
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
    socket.write(bytes);
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

/** Polls `condition` until it holds; fails naming `what` after `ms`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 8_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
