import type { Database } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { OcsfEvent } from "@ringfence/engine/ocsf";
import type { ReportRuntime } from "../integrations/runtime.ts";
import { openSecret } from "../integrations/secret.ts";
import { judgeTarget, TargetRefusedError } from "../integrations/target.ts";
import {
  type Batch,
  type SendResult,
  sendHec,
  sendSyslog,
  sendWebhook,
} from "../integrations/transports.ts";
import { claimDeliveries } from "./claim.ts";
import { loadItems } from "./items.ts";
import {
  type BackoffSettings,
  logAttempt,
  markDead,
  markDelivered,
  scheduleRetry,
} from "./settle.ts";
import { type IntegrationRow, integrations } from "./tables.ts";

/** Tunables of the delivery loop. */
export interface DeliverySettings {
  batchSize: number;
  leaseSeconds: number;
  backoff: BackoffSettings;
}

/** What one round for one integration did. */
export interface DeliveryRound {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
}

/**
 * Sends one batch through the integration's transport. The target is judged by the SSRF guard
 * again now (DNS may have changed since it was saved) and the connection goes to the judged
 * address only.
 */
async function send(
  db: Database,
  integration: IntegrationRow,
  batch: Batch,
  runtime: ReportRuntime,
): Promise<SendResult> {
  const target = await judgeTarget(integration.kind, integration.target, runtime);
  if (integration.kind === "syslog") {
    return sendSyslog(integration, target, batch, runtime.productVersion);
  }
  if (integration.sealedSecret === null) return { ok: false, error: "no secret is stored" };
  const secret = await openSecret(
    runtime.kek,
    integration.organizationId,
    integration.id,
    integration.sealedSecret,
    db,
  );
  return integration.kind === "webhook"
    ? sendWebhook(integration, target, secret, batch)
    : sendHec(integration, target, secret, batch);
}

/** Sends, turning a guard refusal or a transport exception into a failed result. */
export async function attempt(
  db: Database,
  integration: IntegrationRow,
  batch: Batch,
  runtime: ReportRuntime,
): Promise<SendResult & { outcome: "sent" | "blocked" | "error" }> {
  try {
    return { outcome: "sent" as const, ...(await send(db, integration, batch, runtime)) };
  } catch (error) {
    const blocked = error instanceof TargetRefusedError;
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: blocked ? "blocked" : "error", ok: false, error: message };
  }
}

/** Claims, sends and settles one batch of one integration's due deliveries. */
export async function deliverIntegration(
  db: Database,
  integration: IntegrationRow,
  runtime: ReportRuntime,
  settings: DeliverySettings,
): Promise<DeliveryRound> {
  const claimed = await claimDeliveries(db, integration, settings.batchSize, settings.leaseSeconds);
  const round: DeliveryRound = { claimed: claimed.length, delivered: 0, failed: 0, dead: 0 };
  if (claimed.length === 0) return round;

  const items = await loadItems(db, integration, claimed, runtime.productVersion);
  const gone = claimed.filter((d) => items.get(d.id) === null).map((d) => d.id);
  const filteredOut = claimed.filter((d) => items.get(d.id)?.length === 0).map((d) => d.id);
  const toSend = claimed.filter((d) => (items.get(d.id)?.length ?? 0) > 0);
  await markDead(db, gone, "the event is no longer stored (retention)");
  await markDelivered(db, filteredOut);
  round.dead += gone.length;
  round.delivered += filteredOut.length;
  if (toSend.length === 0) return round;

  const events: OcsfEvent[] = toSend.flatMap((d) => items.get(d.id) ?? []);
  const batch = { events, deliveryIds: toSend.map((d) => d.id) };
  const started = performance.now();
  const result = await attempt(db, integration, batch, runtime);
  const durationMs = performance.now() - started;
  if (result.ok) {
    await markDelivered(db, batch.deliveryIds);
    round.delivered += toSend.length;
  } else {
    const error = result.error ?? "failed";
    round.dead += await scheduleRetry(db, integration, batch.deliveryIds, error, settings.backoff);
    round.failed += toSend.length;
  }
  const outcome = result.ok ? "delivered" : result.outcome === "blocked" ? "blocked" : "failed";
  await logAttempt(db, integration, {
    items: events.length,
    outcome,
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.error === undefined ? {} : { error: result.error }),
    durationMs,
  });
  return round;
}

/** The integration row by id (the loop reads it fresh each round, so edits apply at once). */
export async function loadIntegration(
  db: Database,
  id: string,
): Promise<IntegrationRow | undefined> {
  const [row] = await db.select().from(integrations).where(eq(integrations.id, id));
  return row;
}
