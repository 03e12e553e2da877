import net from "node:net";
import tls from "node:tls";
import { Pool } from "undici";

/** Where one upstream request goes: the judged address to dial and the name to verify. */
export type UpstreamTarget = {
  host: string;
  address: string;
  port: number;
  tls: boolean;
};

/** TLS settings for connections the gateway opens; verification is never turned off. */
export type UpstreamTlsOptions = {
  /** Extra trust anchors (PEM), replacing the system store when set; for tests and private PKI. */
  ca?: string[];
};

const MAX_POOLS = 256;
/** Keep-alive connections per upstream: enough for one gateway worker's concurrent clients. */
const CONNECTIONS_PER_UPSTREAM = 64;

/**
 * Keeps one undici Pool per (scheme, host, judged address, port); the TLS settings are this
 * instance's own, so a key never mixes trust anchors. The host is in the key because it is the
 * SNI and the name verified, the address because it is what the egress guard judged: two names
 * on one address, or one name judged to two addresses, never share a connection. undici is used
 * directly with its own connect function, so it never reads proxy environment variables, never
 * resolves a name (it dials the judged address) and never follows redirects.
 */
export class UpstreamPool {
  private readonly clients = new Map<string, Pool>();
  /** The last target asked for and its client: most requests go where the one before went. */
  private last: (UpstreamTarget & { client: Pool }) | undefined;

  constructor(private readonly tlsOptions: UpstreamTlsOptions = {}) {}

  clientFor(target: UpstreamTarget): Pool {
    const last = this.last;
    if (last && sameTarget(last, target) && !last.client.destroyed && !last.client.closed) {
      return last.client;
    }
    const key = `${target.tls ? "s" : "p"}|${target.host}|${target.address}|${target.port}`;
    let client = this.clients.get(key);
    if (!client || client.destroyed || client.closed) {
      client = this.create(target);
      this.clients.set(key, client);
      this.evict();
    }
    this.last = { ...target, client };
    return client;
  }

  /** Closes every upstream connection (graceful shutdown). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    this.last = undefined;
    await Promise.allSettled(clients.map((client) => client.close()));
  }

  private create(target: UpstreamTarget): Pool {
    const origin = `${target.tls ? "https" : "http"}://${hostForUrl(target.host)}:${target.port}`;
    return new Pool(origin, {
      connections: CONNECTIONS_PER_UPSTREAM,
      connect: (_options, callback) => {
        const socket = this.dial(target);
        let settled = false;
        const settle = (error: Error | null) => {
          if (settled) return;
          settled = true;
          if (error) callback(error, null);
          else callback(null, socket);
        };
        socket.once(target.tls ? "secureConnect" : "connect", () => settle(null));
        socket.once("error", settle);
        return socket;
      },
      pipelining: 1,
      // One value for both: undici then refreshes one timer from head to body instead of
      // making a new one per response, each held until its timer wheel next ticks.
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
  }

  private dial(target: UpstreamTarget): net.Socket {
    if (!target.tls) return net.connect({ host: target.address, port: target.port, noDelay: true });
    return tls
      .connect({
        host: target.address,
        port: target.port,
        // SNI and certificate verification use the name the client asked for, while the TCP
        // connection goes to the address the egress guard judged.
        servername: net.isIP(target.host) ? undefined : target.host,
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(target.host, cert),
        ca: this.tlsOptions.ca,
        ALPNProtocols: ["http/1.1"],
        rejectUnauthorized: true,
      })
      .setNoDelay(true);
  }

  private evict(): void {
    while (this.clients.size > MAX_POOLS) {
      const oldest = this.clients.entries().next().value;
      if (!oldest) return;
      this.clients.delete(oldest[0]);
      oldest[1].close().catch(() => undefined);
    }
  }
}

/** Every field of the pool key: the scheme, the name verified, the judged address, the port. */
function sameTarget(a: UpstreamTarget, b: UpstreamTarget): boolean {
  return a.tls === b.tls && a.port === b.port && a.host === b.host && a.address === b.address;
}

function hostForUrl(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}
