import type { Context } from "hono";
import type { AppEnv } from "../context.ts";

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's address for rate limiting. The socket's peer under @hono/node-server; behind a
 * proxy of ours (`RINGFENCE_TRUST_PROXY=true`), the last `X-Forwarded-For` hop, which that proxy
 * appended and a client cannot forge. Next.js gives route handlers no socket, so deployments
 * behind it set the flag.
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("config").trustProxy) {
    const hops = c.req.header("x-forwarded-for")?.split(",") ?? [];
    const last = hops.at(-1)?.trim();
    if (last) return last;
  }
  const bindings = c.env as NodeBindings | undefined;
  return bindings?.incoming?.socket?.remoteAddress ?? "unknown";
}
