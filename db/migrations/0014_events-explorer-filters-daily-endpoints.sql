-- The events explorer filters by destination host (exact, case-insensitive, a trailing dot
-- ignored) and by detection category; each filter reads an index instead of the organisation's
-- whole time range.
CREATE INDEX "events_organization_id_dst_host_time_idx" ON "events" ("organization_id", lower(rtrim("dst_host", '.')), "time") WHERE "dst_host" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_detections_idx" ON "events" USING gin (("payload" -> 'detections') jsonb_path_ops);--> statement-breakpoint

-- Top sources and destinations over several days: when each source appears about once an hour,
-- the hourly endpoint rollup is as large as the events. A daily rollup, kept by the same trigger,
-- answers the whole days of a window; the hourly one only its partial edges.
CREATE TABLE "event_endpoints_daily" (
  "organization_id" text NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
  "day" timestamptz NOT NULL,
  "side" text NOT NULL,
  "value" text NOT NULL,
  "events" bigint NOT NULL,
  PRIMARY KEY ("organization_id", "side", "day", "value")
);--> statement-breakpoint
INSERT INTO "event_endpoints_daily"
SELECT organization_id, date_trunc('day', hour, 'UTC'), side, value, sum(events)
FROM "event_endpoints_hourly" GROUP BY 1, 2, 3, 4;--> statement-breakpoint

-- As in 0005, plus the daily endpoint rollup (upserted in key order, like the others).
CREATE OR REPLACE FUNCTION ringfence_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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

  INSERT INTO event_endpoints_daily AS e (organization_id, side, day, value, events)
  SELECT organization_id, side, date_trunc('day', "time", 'UTC'), value, count(*)
  FROM (
    SELECT organization_id, "time", 'src' AS side, host(src_ip) AS value FROM inserted
    UNION ALL
    SELECT organization_id, "time", 'dst', coalesce(dst_host, '') || ':' || dst_port FROM inserted
  ) AS sides
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, side, day, value) DO UPDATE SET events = e.events + excluded.events;

  INSERT INTO event_detections_hourly AS d
  SELECT i.organization_id, date_trunc('hour', i."time", 'UTC'), x->>'category', x->>'severity', count(*)
  FROM inserted i, jsonb_array_elements(coalesce(i.payload->'detections', '[]'::jsonb)) AS x
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, hour, category, severity) DO UPDATE SET events = d.events + excluded.events;
  RETURN NULL;
END $$;
