import { isIP } from "node:net";
import { checkUrlResolving } from "@ringfence/engine/ssrf";
import type { CustomFetch } from "openid-client";
import { Agent, fetch as undiciFetch } from "undici";
import type { SsoRuntime } from "./runtime.ts";

/** Why a call to the identity provider was not made or not accepted. */
export class IdpFetchError extends Error {
  override readonly name = "IdpFetchError";
}

/** Discovery documents, JWKS and token answers are small; more is refused, not buffered. */
const MAX_BODY_BYTES = 256 * 1024;
const TIMEOUT_MS = 10_000;

/**
 * The only way the control plane talks to an organisation's identity provider. An admin chooses
 * the issuer, and the issuer's discovery document chooses the token and JWKS endpoints, so every
 * URL is untrusted: each call is judged by the SSRF guard in resolving mode and connects to
 * exactly the address it approved (no second lookup); cleartext is allowed only towards the
 * egress allowlist; redirects are returned, never followed; proxy variables are ignored because
 * the dispatcher is our own Agent; bodies over 256 KiB and calls over 10 s are cut off.
 */
export function idpFetch(runtime: SsoRuntime): CustomFetch {
  return async (url, options) => {
    const verdict = await checkUrlResolving(url, {
      resolver: runtime.resolver,
      allow: runtime.egressAllow,
    });
    const { address } = verdict;
    if (verdict.verdict !== "allow" || address === undefined) {
      throw new IdpFetchError(`${originOf(url)} is refused by the SSRF guard (${verdict.reason})`);
    }
    if (url.startsWith("http:") && verdict.reason !== "allowlisted") {
      throw new IdpFetchError(`${originOf(url)} must use https`);
    }

    const family = isIP(address) === 6 ? 6 : 4;
    const dispatcher = new Agent({
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      connect: {
        timeout: TIMEOUT_MS,
        lookup: (_host, _opts, callback) => callback(null, [{ address, family }]),
      },
    });
    try {
      const response = await undiciFetch(url, {
        method: options.method,
        headers: options.headers,
        body: options.body as string | URLSearchParams | null,
        redirect: "manual",
        dispatcher,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const body = await readCapped(response.body as ReadableStream<Uint8Array> | null, url);
      return new Response(body, {
        status: response.status,
        headers: response.headers as unknown as Headers,
      });
    } finally {
      await dispatcher.close();
    }
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the URL";
  }
}

async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  url: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(new ArrayBuffer(MAX_BODY_BYTES));
  let length = 0;
  if (body === null) return out.slice(0, 0);
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new IdpFetchError(`${originOf(url)} answered more than ${MAX_BODY_BYTES} bytes`);
    }
    out.set(value, length);
    length += value.length;
  }
  return out.slice(0, length);
}
