-- One event by id (the console's event page) without scanning an organisation's whole key range.
CREATE INDEX "events_organization_id_id_idx" ON "events" ("organization_id", "id");
