-- Events partitioned by day (range on "time"), keeping the key (organization_id, time, id) that
-- makes ingestion idempotent; a default partition takes any day without a partition of its own.
-- The events table belongs to the contract schema (src/schema/enforcement.ts): its columns and
-- key are unchanged here, only its storage.
ALTER TABLE "events" RENAME TO "events_unpartitioned";--> statement-breakpoint
ALTER TABLE "events_unpartitioned" RENAME CONSTRAINT "events_organization_id_time_id_pk" TO "events_unpartitioned_pk";--> statement-breakpoint
ALTER TABLE "events_unpartitioned" RENAME CONSTRAINT "events_organization_id_organizations_id_fk" TO "events_unpartitioned_org_fk";--> statement-breakpoint
CREATE TABLE "events" (LIKE "events_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("time");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organization_id_time_id_pk" PRIMARY KEY ("organization_id", "time", "id");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;--> statement-breakpoint
INSERT INTO "events" SELECT * FROM "events_unpartitioned";--> statement-breakpoint
DROP TABLE "events_unpartitioned";--> statement-breakpoint
CREATE INDEX "events_organization_id_rule_id_time_idx" ON "events" ("organization_id", "rule_id", "time") WHERE "rule_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_organization_id_src_ip_time_idx" ON "events" ("organization_id", "src_ip", "time");--> statement-breakpoint

-- Creates the daily partitions from `first_day` for `days` days. A day whose rows already sit in
-- the default partition is skipped (PostgreSQL refuses to attach over them) and stays there.
CREATE FUNCTION ringfence_ensure_event_partitions(first_day date, days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day date;
  lo timestamptz;
  hi timestamptz;
  created integer := 0;
  name text;
BEGIN
  FOR i IN 0 .. days - 1 LOOP
    day := first_day + i;
    name := 'events_p' || to_char(day, 'YYYYMMDD');
    -- Days are UTC days whatever the session's time zone.
    lo := day::timestamp AT TIME ZONE 'UTC';
    hi := (day + 1)::timestamp AT TIME ZONE 'UTC';
    CONTINUE WHEN to_regclass(name) IS NOT NULL;
    CONTINUE WHEN EXISTS (
      SELECT 1 FROM events_default WHERE "time" >= lo AND "time" < hi
    );
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
      name, lo, hi
    );
    created := created + 1;
  END LOOP;
  RETURN created;
END $$;--> statement-breakpoint
SELECT ringfence_ensure_event_partitions((now() AT TIME ZONE 'UTC')::date - 1, 9);--> statement-breakpoint

-- Hourly rollups the console's charts read instead of scanning raw events: decisions by kind,
-- action and rule (with first and last hit), and events per source and destination.
CREATE TABLE "event_counts_hourly" (
  "organization_id" text NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
  "hour" timestamptz NOT NULL,
  "kind" text NOT NULL,
  "action" text NOT NULL,
  "rule_id" text NOT NULL DEFAULT '',
  "events" bigint NOT NULL,
  "first_time" timestamptz NOT NULL,
  "last_time" timestamptz NOT NULL,
  PRIMARY KEY ("organization_id", "hour", "kind", "action", "rule_id")
);--> statement-breakpoint
CREATE TABLE "event_endpoints_hourly" (
  "organization_id" text NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
  "hour" timestamptz NOT NULL,
  "side" text NOT NULL,
  "value" text NOT NULL,
  "events" bigint NOT NULL,
  PRIMARY KEY ("organization_id", "hour", "side", "value")
);--> statement-breakpoint
CREATE TABLE "event_detections_hourly" (
  "organization_id" text NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
  "hour" timestamptz NOT NULL,
  "category" text NOT NULL,
  "severity" text NOT NULL,
  "events" bigint NOT NULL,
  PRIMARY KEY ("organization_id", "hour", "category", "severity")
);--> statement-breakpoint

-- Runs once per INSERT statement on events with only the rows actually inserted (a duplicate
-- skipped by ON CONFLICT is not in "inserted"), in the inserting transaction: the outbox row and
-- the rollups commit or roll back with the event. Rows are upserted in key order so concurrent
-- batches lock rollup rows in the same order and cannot deadlock.
CREATE FUNCTION ringfence_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_pending (organization_id, source, event_id, event_time)
  SELECT i.organization_id, 'event', i.id, i."time" FROM inserted i
  WHERE EXISTS (
    SELECT 1 FROM integrations g WHERE g.organization_id = i.organization_id AND g.enabled
  );

  INSERT INTO event_counts_hourly AS c
  SELECT organization_id, date_trunc('hour', "time", 'UTC'), kind, action, coalesce(rule_id, ''),
         count(*), min("time"), max("time")
  FROM inserted GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (organization_id, hour, kind, action, rule_id) DO UPDATE SET
    events = c.events + excluded.events,
    first_time = least(c.first_time, excluded.first_time),
    last_time = greatest(c.last_time, excluded.last_time);

  INSERT INTO event_endpoints_hourly AS e
  SELECT organization_id, date_trunc('hour', "time", 'UTC'), side, value, count(*)
  FROM (
    SELECT organization_id, "time", 'src' AS side, host(src_ip) AS value FROM inserted
    UNION ALL
    SELECT organization_id, "time", 'dst', coalesce(dst_host, '') || ':' || dst_port FROM inserted
  ) AS sides
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, hour, side, value) DO UPDATE SET events = e.events + excluded.events;

  INSERT INTO event_detections_hourly AS d
  SELECT i.organization_id, date_trunc('hour', i."time", 'UTC'), x->>'category', x->>'severity', count(*)
  FROM inserted i, jsonb_array_elements(coalesce(i.payload->'detections', '[]'::jsonb)) AS x
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, hour, category, severity) DO UPDATE SET events = d.events + excluded.events;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "events_inserted" AFTER INSERT ON "events" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ringfence_events_inserted();--> statement-breakpoint

-- The audit log is exported through the same outbox, to integrations that include it.
CREATE FUNCTION ringfence_audit_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_pending (organization_id, source, audit_id)
  SELECT i.organization_id, 'audit', i.id FROM inserted i
  WHERE EXISTS (
    SELECT 1 FROM integrations g
    WHERE g.organization_id = i.organization_id AND g.enabled AND g.include_audit
  );
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "audit_log_inserted" AFTER INSERT ON "audit_log" REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ringfence_audit_inserted();
