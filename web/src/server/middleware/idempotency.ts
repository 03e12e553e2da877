import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { requestContext } from "../http/context.ts";
import { reserveIdempotencyKey } from "../services/idempotency/reserve.ts";
import { completeIdempotencyKey, releaseIdempotencyKey } from "../services/idempotency/settle.ts";
import { sha256 } from "../tokens.ts";

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyOptions {
  /**
   * Top-level response fields holding secrets shown once (an API key). They are stored as null,
   * so a replay answers the same status and object without the secret.
   */
  redact?: string[];
}

/**
 * Honours `Idempotency-Key` on a creating POST: the same principal, key and body get the first
 * successful answer again; the same key with another body gets 422; a key whose first request still runs
 * gets 409. Anonymous requests are not covered, because a replay would hand one caller's answer
 * (a session) to another.
 */
export function idempotent(options: IdempotencyOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const principal = c.get("principal");
    if (key === undefined || !principal) return next();
    if (!KEY_SHAPE.test(key)) {
      throw new AppError("invalid_request", "Idempotency-Key must be 1-255 printable characters.", {
        fields: [{ location: "header", path: "idempotency-key", message: "Invalid key" }],
      });
    }

    const principalId = principal.type === "user" ? principal.userId : principal.keyId;
    const requestHash = sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    const ctx = requestContext(c);
    const reservation = await reserveIdempotencyKey({
      ctx,
      input: { principalId, key, requestHash },
    });

    if (reservation.state === "mismatch") {
      throw new AppError("idempotency_key_reused", "This Idempotency-Key came with another body.");
    }
    if (reservation.state === "in_progress") {
      throw new AppError("idempotency_in_progress", "Retry once the first request has finished.");
    }
    if (reservation.state === "replay") return replay(c, reservation.status, reservation.body);

    await next();
    await settle(c, reservation.recordId, options.redact ?? []);
  };
}

function replay(c: Context<AppEnv>, status: number, body: unknown): Response {
  const headers = { "Idempotent-Replayed": "true", "X-Request-Id": c.get("requestId") };
  if (body === null) return new Response(null, { status, headers });
  return Response.json(body, { status, headers });
}

async function settle(c: Context<AppEnv>, recordId: string, redact: string[]): Promise<void> {
  const ctx = requestContext(c);
  // Only successes are remembered: a refused request changed nothing, so retrying it with the
  // same key after fixing the cause must be possible.
  if (c.res.status >= 300) return releaseIdempotencyKey({ ctx, input: { recordId } });

  const text = await c.res.clone().text();
  const body: unknown = text === "" ? null : JSON.parse(text);
  if (body !== null && typeof body === "object") {
    for (const field of redact) if (field in body) Object.assign(body, { [field]: null });
  }
  await completeIdempotencyKey({ ctx, input: { recordId, status: c.res.status, body } });
}
