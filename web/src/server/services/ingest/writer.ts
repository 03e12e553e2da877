import type { Database } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { queryRows } from "../outbox/sql.ts";

/** One caller's batch, waiting for the statement that stores it. */
interface Pending {
  organizationId: string;
  events: readonly DecisionEvent[];
  resolve: (accepted: number) => void;
  reject: (error: unknown) => void;
}

/** Events per statement at most; a single larger batch is still written whole. */
const MAX_EVENTS_PER_STATEMENT = 5000;

/**
 * Writes event batches with group commit. While one statement runs, the batches that arrive
 * queue up and the next statement stores all of them at once, so under load a fleet of
 * gateways costs a few large INSERTs instead of one small transaction each (each of which ran
 * the rollup trigger and contended for the same hourly rollup rows). An idle writer sends a
 * batch at once, so nothing waits on a timer.
 *
 * Each statement carries its rows as ONE jsonb parameter expanded in the database, instead of
 * eleven bound parameters per event. A caller's promise settles only after its statement has
 * committed, so "accepted" still means stored; if a shared statement fails, every batch in it
 * is retried alone, so one bad batch cannot fail the others.
 */
export class EventWriter {
  readonly #db: Database;
  #queue: Pending[] = [];
  #draining = false;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores one batch; resolves with how many of its events were new (the rest were stored before). */
  write(organizationId: string, events: readonly DecisionEvent[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ organizationId, events, resolve, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        const group = this.#takeGroup();
        try {
          settle(group, await insertEvents(this.#db, group));
        } catch (error) {
          if (group.length === 1) group[0]?.reject(error);
          else for (const one of group) await this.#writeAlone(one);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  #takeGroup(): Pending[] {
    let size = 0;
    let count = 0;
    for (const pending of this.#queue) {
      if (count > 0 && size + pending.events.length > MAX_EVENTS_PER_STATEMENT) break;
      size += pending.events.length;
      count++;
    }
    return this.#queue.splice(0, count);
  }

  async #writeAlone(pending: Pending): Promise<void> {
    try {
      settle([pending], await insertEvents(this.#db, [pending]));
    } catch (error) {
      pending.reject(error);
    }
  }
}

const keyOf = (organizationId: string, id: string) => `${organizationId}|${id.toLowerCase()}`;

/** Stores the group's events in one statement; answers how many rows were inserted per key. */
async function insertEvents(db: Database, group: readonly Pending[]): Promise<Map<string, number>> {
  const rows = group.flatMap((pending) =>
    pending.events.map((event) => ({ o: pending.organizationId, e: event })),
  );
  // Times are cut to milliseconds, as JavaScript dates are, so a batch resent after this path
  // changed still meets the key (organization, time, id) of the rows it stored before.
  const inserted = await queryRows<{ organization_id: string; id: string }>(
    db,
    sql`
      INSERT INTO events (organization_id, id, time, enforcer_id, kind, action, src_ip, dst_host,
        dst_port, rule_id, payload)
      SELECT r->>'o', (e->>'id')::uuid, date_trunc('milliseconds', (e->>'time')::timestamptz),
        e->'enforcer'->>'id', e->>'kind', e->>'action', (e->'src'->>'ip')::inet, e->'dst'->>'host',
        (e->'dst'->>'port')::int, e->'reasons'->>'ruleId', e
      FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) AS r, LATERAL (SELECT r->'e') AS x(e)
      ON CONFLICT DO NOTHING
      RETURNING organization_id, id::text
    `,
  );
  const counts = new Map<string, number>();
  for (const row of inserted) {
    const key = keyOf(row.organization_id, row.id);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Credits each inserted row to the first batch that carried it; everything else was a duplicate. */
function settle(group: readonly Pending[], inserted: Map<string, number>): void {
  for (const pending of group) {
    let accepted = 0;
    for (const event of pending.events) {
      const key = keyOf(pending.organizationId, event.id);
      const left = inserted.get(key) ?? 0;
      if (left === 0) continue;
      inserted.set(key, left - 1);
      accepted++;
    }
    pending.resolve(accepted);
  }
}

// FIXME(report): carry the writer in the enforcement runtime (owned by the contract work) and
// delete this registry; one writer per database per process is what group commit needs.
const writers = new WeakMap<Database, EventWriter>();

/** The process's writer for a database, created on first use. */
export function eventWriterFor(db: Database): EventWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new EventWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
