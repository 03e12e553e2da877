import { createRoute, z } from "@hono/zod-openapi";
import { eventsResponseSchema, MAX_EVENTS_PER_BATCH } from "@ringfence/engine/control";
import { decisionEventSchema, issuesFromZod } from "@ringfence/engine/documents";
import { AppError } from "../errors.ts";
import { newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse } from "../http/schemas.ts";
import { enforcerContext, requireEnforcer } from "../services/enforcers/http.ts";
import { storeEvents } from "../services/ingest/store-events.ts";

const ingestRoute = createRoute({
  method: "post",
  path: "/api/v1/enforcer/events",
  tags: ["enforcer protocol"],
  summary: "A batch of decision events; each event id is stored once",
  middleware: [requireEnforcer],
  request: { body: jsonBody(z.strictObject({ events: z.array(z.unknown()).min(1) })) },
  responses: {
    200: jsonResponse("Stored", eventsResponseSchema),
    400: errorResponses[400],
    401: errorResponses[401],
    413: errorResponses[413],
    429: errorResponses[429],
  },
});

/**
 * Checks the batch in the order that gives the clearest answer: too many events is 413 before
 * any event is looked at; then every invalid event is named by its index and path.
 */
function parseBatch(batch: unknown[]) {
  if (batch.length > MAX_EVENTS_PER_BATCH) {
    throw new AppError(
      "payload_too_large",
      `A batch holds at most ${MAX_EVENTS_PER_BATCH} events; this one has ${batch.length}. Split it.`,
    );
  }
  const parsed = z.array(decisionEventSchema).safeParse(batch);
  if (!parsed.success) {
    const fields = issuesFromZod(parsed.error).map((issue) => ({
      location: "body",
      path: `events${issue.path.slice(1)}`,
      message: issue.message,
    }));
    throw new AppError("invalid_request", `Invalid events: ${fields[0]?.path ?? "events"}.`, {
      fields,
    });
  }
  return parsed.data;
}

export const eventsIngestRoutes = newRouter().openapi(ingestRoute, async (c) => {
  const ctx = enforcerContext(c);
  const events = parseBatch(c.req.valid("json").events);
  return c.json(await storeEvents({ ctx, input: { events } }), 200);
});
