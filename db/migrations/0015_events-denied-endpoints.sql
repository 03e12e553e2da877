-- Top DENIED sources and destinations (the console's panel, issue #11): the endpoint rollups
-- count every decision, so denied ones get rollups of their own, hourly and daily, kept by the
-- same trigger and read the same way (whole days daily, partial edges hourly).
CREATE TABLE "event_denied_endpoints_hourly" (
  "organization_id" text NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
  "hour" timestamptz NOT NULL,
  "side" text NOT NULL,
  "value" text NOT NULL,
  "events" bigint NOT NULL,
  PRIMARY KEY ("organization_id", "hour", "side", "value")
);--> statement-breakpoint
CREATE INDEX "event_denied_endpoints_hourly_side_idx" ON "event_denied_endpoints_hourly" ("organization_id", "side", "hour") INCLUDE ("value", "events");--> statement-breakpoint
CREATE TABLE "event_denied_endpoints_daily" (
  "organization_id" text NOT NULL REFERENCES "organizations"("id") ON DELETE cascade,
  "day" timestamptz NOT NULL,
  "side" text NOT NULL,
  "value" text NOT NULL,
  "events" bigint NOT NULL,
  PRIMARY KEY ("organization_id", "side", "day", "value")
);--> statement-breakpoint
INSERT INTO "event_denied_endpoints_hourly"
SELECT organization_id, date_trunc('hour', "time", 'UTC'), side, value, count(*)
FROM (
  SELECT organization_id, "time", 'src' AS side, host(src_ip) AS value FROM events WHERE action = 'deny'
  UNION ALL
  SELECT organization_id, "time", 'dst', coalesce(dst_host, '') || ':' || dst_port FROM events
  WHERE action = 'deny'
) AS sides GROUP BY 1, 2, 3, 4;--> statement-breakpoint
INSERT INTO "event_denied_endpoints_daily"
SELECT organization_id, date_trunc('day', hour, 'UTC'), side, value, sum(events)
FROM "event_denied_endpoints_hourly" GROUP BY 1, 2, 3, 4;--> statement-breakpoint

-- As in 0014, plus the denied endpoint rollups.
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

  INSERT INTO event_denied_endpoints_hourly AS e
  SELECT organization_id, date_trunc('hour', "time", 'UTC'), side, value, count(*)
  FROM (
    SELECT organization_id, "time", 'src' AS side, host(src_ip) AS value FROM inserted
    WHERE action = 'deny'
    UNION ALL
    SELECT organization_id, "time", 'dst', coalesce(dst_host, '') || ':' || dst_port FROM inserted
    WHERE action = 'deny'
  ) AS sides
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (organization_id, hour, side, value) DO UPDATE SET events = e.events + excluded.events;

  INSERT INTO event_denied_endpoints_daily AS e (organization_id, side, day, value, events)
  SELECT organization_id, side, date_trunc('day', "time", 'UTC'), value, count(*)
  FROM (
    SELECT organization_id, "time", 'src' AS side, host(src_ip) AS value FROM inserted
    WHERE action = 'deny'
    UNION ALL
    SELECT organization_id, "time", 'dst', coalesce(dst_host, '') || ':' || dst_port FROM inserted
    WHERE action = 'deny'
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
