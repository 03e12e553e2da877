-- The top sources and destinations read ONE side of the endpoint rollup over a window of hours.
-- The key leads with the hour, so that scan also walked every row of the other side (at 10
-- million events, about 10 million source rows under the 500 destinations); led by the side, it
-- reads only its own, and the counts come from the index without visiting the table.
CREATE INDEX "event_endpoints_hourly_side_idx" ON "event_endpoints_hourly" ("organization_id", "side", "hour") INCLUDE ("value", "events");
