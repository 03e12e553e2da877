import net from "node:net";

/** Looks a hostname up and returns every address as text. Injected: tests use a static map. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

/** The egress guard's verdict on a destination, as `@ringfence/engine/ssrf` reports it. */
export type EgressVerdict = {
  verdict: "allow" | "block";
  reason: string;
  address?: string;
  category?: string;
  endpoint?: string;
};

/**
 * Resolves `host` with the gateway's resolver and judges every address. An allow carries the one
 * address the gateway must connect to; nothing else may be dialled. A verdict already known
 * (judged on the answer still held) may come back without a promise, sparing the request a hop.
 */
export type EgressGuard = (host: string, port: number) => EgressVerdict | Promise<EgressVerdict>;

/** A resolver over a fixed map, for tests and for pinned internal names. */
export function staticResolver(map: Readonly<Record<string, readonly string[]>>): Resolver {
  const table = new Map(
    Object.entries(map).map(([name, addresses]) => [name.toLowerCase(), addresses]),
  );
  return async (hostname) => {
    if (net.isIP(hostname)) return [hostname];
    return table.get(hostname.toLowerCase().replace(/\.$/, "")) ?? [];
  };
}

/** Thrown when the egress guard refuses a destination; carries the verdict for the event. */
export class EgressBlocked extends Error {
  constructor(readonly verdict: EgressVerdict) {
    super(`egress to this destination is blocked: ${verdict.reason}`);
    this.name = "EgressBlocked";
  }
}

/**
 * Judges the destination and returns the address to dial, or throws (or rejects with)
 * EgressBlocked. A verdict the guard already knew gives the address without a promise.
 */
export function judgedAddress(
  guard: EgressGuard,
  host: string,
  port: number,
): string | Promise<string> {
  const verdict = guard(host, port);
  return verdict instanceof Promise ? verdict.then(addressOf) : addressOf(verdict);
}

function addressOf(verdict: EgressVerdict): string {
  if (verdict.verdict !== "allow" || verdict.address === undefined)
    throw new EgressBlocked(verdict);
  return verdict.address;
}

/** Opens a TCP connection to exactly `address` (never a name, so no second lookup happens). */
export function dialTcp(address: string, port: number, timeoutMs = 10_000): Promise<net.Socket> {
  if (!net.isIP(address)) return Promise.reject(new Error("dialTcp requires a numeric address"));
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    const timer = setTimeout(() => socket.destroy(new Error("connect timed out")), timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
