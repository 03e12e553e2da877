import { createHash, createHmac } from "node:crypto";
import { isIP, connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { OcsfEvent } from "@ringfence/engine/ocsf";
import { Agent, request } from "undici";
import type { IntegrationRow } from "../outbox/tables.ts";
import { hecBody, syslogFrame, webhookBody } from "./formats.ts";
import type { JudgedTarget } from "./target.ts";

/** What one send attempt returned: an HTTP status when there was one. */
export interface SendResult {
  ok: boolean;
  statusCode?: number;
  error?: string;
}

/**
 * A batch to send: the OCSF events and the ids that name it (for the webhook id). A batch that
 * is no delivery (a test event) names itself with `messageId`.
 */
export interface Batch {
  events: OcsfEvent[];
  deliveryIds: number[];
  messageId?: string;
}

const TIMEOUT_MS = 10_000;

/**
 * An undici dispatcher pinned to the judged address: its lookup answers only that address, so
 * no second resolution can redirect the connection. TLS still checks the certificate against the
 * target's host name.
 */
function pinnedAgent(target: JudgedTarget, caPem: string | null): Agent {
  const family = isIP(target.address) === 6 ? 6 : 4;
  return new Agent({
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    connect: {
      timeout: TIMEOUT_MS,
      ...(caPem ? { ca: caPem } : {}),
      lookup: (_host, _options, callback) => callback(null, [{ address: target.address, family }]),
    },
  });
}

/** The Standard Webhooks signature: `v1,` base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** A message id stable for the same batch, so a resent batch can be recognised. */
function messageId(batch: Batch): string {
  if (batch.messageId) return batch.messageId;
  const digest = createHash("sha256").update(batch.deliveryIds.join(",")).digest("hex");
  return `msg_${digest.slice(0, 32)}`;
}

async function post(
  integration: IntegrationRow,
  target: JudgedTarget,
  headers: Record<string, string>,
  body: string,
): Promise<SendResult> {
  const dispatcher = pinnedAgent(target, integration.caPem);
  try {
    const response = await request(integration.target, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      dispatcher,
    });
    await response.body.dump();
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      ok,
      statusCode: response.statusCode,
      ...(ok ? {} : { error: `HTTP ${response.statusCode}` }),
    };
  } finally {
    await dispatcher.close();
  }
}

/** Sends a batch as one signed Standard Webhooks message. */
export function sendWebhook(
  integration: IntegrationRow,
  target: JudgedTarget,
  secret: string,
  batch: Batch,
): Promise<SendResult> {
  const now = new Date();
  const id = messageId(batch);
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = webhookBody(batch.events, now);
  const headers = {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook(secret, id, timestamp, body),
  };
  return post(integration, target, headers, body);
}

/** Sends a batch to Splunk HEC as newline-delimited event envelopes. */
export function sendHec(
  integration: IntegrationRow,
  target: JudgedTarget,
  token: string,
  batch: Batch,
): Promise<SendResult> {
  return post(integration, target, { authorization: `Splunk ${token}` }, hecBody(batch.events));
}

/**
 * Sends a batch as octet-counted syslog frames over TCP or TLS, connecting to the judged address.
 * Success means every byte was written and the connection closed cleanly; syslog has no
 * application-level acknowledgement, so that is as far as "delivered" can be known.
 */
export function sendSyslog(
  integration: IntegrationRow,
  target: JudgedTarget,
  batch: Batch,
  productVersion: string,
): Promise<SendResult> {
  const payload = Buffer.concat(batch.events.map((event) => syslogFrame(event, productVersion)));
  return new Promise((resolve) => {
    const options = { host: target.address, port: target.port, timeout: TIMEOUT_MS };
    const socket: Socket = target.secure
      ? tlsConnect({
          ...options,
          servername: isIP(target.hostname) === 0 ? target.hostname : undefined,
          ...(integration.caPem ? { ca: integration.caPem } : {}),
        })
      : netConnect(options);
    let failed: string | undefined;
    socket.on("timeout", () => socket.destroy(new Error("syslog connection timed out")));
    socket.on("error", (error) => {
      failed = error.message;
    });
    socket.on("close", () => resolve(failed ? { ok: false, error: failed } : { ok: true }));
    socket.end(payload);
  });
}
