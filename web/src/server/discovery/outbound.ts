import { isIP } from "node:net";
import { checkUrlResolving, type SsrfResolver } from "@ringfence/engine/ssrf";
import { Agent, type RequestInit as UndiciInit, fetch as undiciFetch } from "undici";
import type { OutboundFetch } from "./types.ts";

/** Why the guard refused an outbound call; `reason` is the SSRF guard's reason code. */
export class OutboundBlockedError extends Error {
  override readonly name = "OutboundBlockedError";

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`outbound call to ${new URL(url).origin} refused by the SSRF guard (${reason})`);
  }
}

/** How the control plane's discovery calls leave the process. */
export interface GuardedFetchOptions {
  /** Looks host names up; injected so tests never touch the system resolver. */
  resolver: SsrfResolver;
  /** Non-global destinations that may be reached, e.g. `127.0.0.1` for the replay servers. */
  allow: readonly string[];
  /** Extra CA certificates (PEM) to trust, e.g. the replay servers' test CA. */
  ca?: string;
}

/**
 * A fetch that asks the SSRF guard before every call and then connects to exactly the address
 * the guard approved (no second lookup a rebinding DNS could answer differently). TLS still
 * verifies the certificate against the URL's host name.
 */
export function guardedFetch(options: GuardedFetchOptions): OutboundFetch {
  return async (input, init) => {
    const verdict = await checkUrlResolving(input, {
      resolver: options.resolver,
      allow: options.allow,
    });
    if (verdict.verdict !== "allow" || !verdict.address) {
      throw new OutboundBlockedError(input, verdict.reason);
    }
    const address = verdict.address;
    const family = isIP(address) === 6 ? 6 : 4;
    const dispatcher = new Agent({
      connect: {
        ...(options.ca ? { ca: options.ca } : {}),
        lookup: (_host, _opts, callback) => callback(null, [{ address, family }]),
      },
    });
    try {
      const response = await undiciFetch(input, {
        ...(init as UndiciInit),
        dispatcher,
        redirect: "manual",
      });
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        headers: response.headers as unknown as Headers,
      });
    } finally {
      await dispatcher.close();
    }
  };
}
