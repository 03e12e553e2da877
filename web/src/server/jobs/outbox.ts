import type { Database } from "@ringfence/db";
import type { ReportRuntime } from "../services/integrations/runtime.ts";
import { dueIntegrations } from "../services/outbox/claim.ts";
import {
  type DeliveryRound,
  type DeliverySettings,
  deliverIntegration,
  loadIntegration,
} from "../services/outbox/deliver.ts";
import { fanOut } from "../services/outbox/fanout.ts";

/** Tunables of the outbox worker. */
export interface OutboxWorkerSettings extends DeliverySettings {
  /** Pending rows fanned out per round. */
  fanOutBatch: number;
  /** Integrations served per round, concurrently. */
  integrationsPerRound: number;
  /** How long to sleep when a round found nothing to do. */
  idleMs: number;
}

export const DEFAULT_OUTBOX_SETTINGS: OutboxWorkerSettings = {
  fanOutBatch: 1000,
  integrationsPerRound: 4,
  idleMs: 250,
  batchSize: 200,
  leaseSeconds: 60,
  backoff: { baseSeconds: 1, capSeconds: 3600 },
};

/** A running worker; `stop` lets the current round finish, so a graceful stop loses nothing. */
export interface OutboxWorker {
  stop(): Promise<void>;
  /** Rounds that did something, for tests and metrics. */
  readonly totals: { fannedOut: number; delivered: number; failed: number; dead: number };
}

/** One round: fan out, then deliver one batch for each integration with due deliveries. */
export async function runOutboxRound(
  db: Database,
  runtime: ReportRuntime,
  settings: OutboxWorkerSettings,
): Promise<{ fannedOut: number; rounds: DeliveryRound[] }> {
  const fannedOut = await fanOut(db, settings.fanOutBatch);
  const due = await dueIntegrations(db, settings.integrationsPerRound);
  const rounds = await Promise.all(
    due.map(async (id) => {
      const integration = await loadIntegration(db, id);
      if (!integration?.enabled) return { claimed: 0, delivered: 0, failed: 0, dead: 0 };
      return deliverIntegration(db, integration, runtime, settings);
    }),
  );
  return { fannedOut, rounds };
}

/**
 * Starts the loop that carries the outbox to integrations. Rows are claimed in the database, so
 * one worker per process (embedded PGlite) or per replica (PostgreSQL) is safe; an error in a
 * round is reported to `onError` and the loop goes on after the idle pause.
 */
export function startOutboxWorker(options: {
  db: Database;
  runtime: ReportRuntime;
  settings?: Partial<OutboxWorkerSettings>;
  onError?: (error: unknown) => void;
}): OutboxWorker {
  const settings = { ...DEFAULT_OUTBOX_SETTINGS, ...options.settings };
  const totals = { fannedOut: 0, delivered: 0, failed: 0, dead: 0 };
  let running = true;
  let wake: (() => void) | undefined;

  const loop = async () => {
    while (running) {
      let busy = false;
      try {
        const round = await runOutboxRound(options.db, options.runtime, settings);
        totals.fannedOut += round.fannedOut;
        for (const r of round.rounds) {
          totals.delivered += r.delivered;
          totals.failed += r.failed;
          totals.dead += r.dead;
        }
        busy = round.fannedOut > 0 || round.rounds.some((r) => r.claimed > 0);
      } catch (error) {
        options.onError?.(error);
      }
      if (!busy && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, settings.idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const done = loop();
  return {
    totals,
    stop: async () => {
      running = false;
      wake?.();
      await done;
    },
  };
}
