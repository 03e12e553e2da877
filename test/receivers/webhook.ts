import { createHmac, timingSafeEqual } from "node:crypto";
import { Collector } from "./collector.ts";
import { type HttpReceiver, startHttpReceiver } from "./http.ts";

/** A webhook receiver that verifies Standard Webhooks signatures like a careful customer would. */
export interface WebhookReceiver extends HttpReceiver {
  collector: Collector;
}

/**
 * Verifies `webhook-signature` over `id.timestamp.body` with the `whsec_` secret (any of the
 * space-separated `v1,` signatures may match) and refuses timestamps outside the replay window.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
  toleranceSeconds: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): string | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return "missing webhook headers";
  const sent = Number(timestamp);
  if (!Number.isInteger(sent) || Math.abs(nowSeconds - sent) > toleranceSeconds) {
    return "timestamp outside the replay window";
  }
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  const matches = signature.split(" ").some((candidate) => {
    const [version, value] = candidate.split(",");
    const given = Buffer.from(value ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : "signature does not verify";
}

/** Starts a webhook receiver on 127.0.0.1 that keeps every verified event. */
export async function startWebhookReceiver(options: {
  secret: string;
  toleranceSeconds?: number;
  /** Answers after this long, so a test can kill the sender mid-request. */
  delayMs?: number;
}): Promise<WebhookReceiver> {
  const collector = new Collector();
  const receiver = await startHttpReceiver(
    "/hooks/ringfence",
    (request, body) => {
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const problem = verifyStandardWebhook(
        options.secret,
        {
          id: header("webhook-id"),
          timestamp: header("webhook-timestamp"),
          signature: header("webhook-signature"),
        },
        body,
        options.toleranceSeconds ?? 300,
      );
      if (problem) {
        collector.reject(problem);
        return { status: 401, body: problem };
      }
      const message = JSON.parse(body) as { data: Record<string, unknown>[] };
      for (const event of message.data) collector.add(event);
      return { status: 204 };
    },
    options.delayMs,
  );
  return Object.assign(receiver, { collector });
}
