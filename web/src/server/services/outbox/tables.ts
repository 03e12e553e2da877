/**
 * The report tables, imported from their schema files until `@ringfence/db` re-exports them.
 */
// TODO(report): import these from "@ringfence/db" once db/src/schema/index.ts (owned by the db
// owner) re-exports ./integrations.ts and ./outbox.ts; the relative path exists only for that.
export {
  INTEGRATION_KIND_VALUES,
  type IntegrationKind,
  type IntegrationRow,
  integrations,
  newIntegrationId,
} from "../../../../../db/src/schema/integrations.ts";
export {
  type DeliveryState,
  type OutboxDeliveryRow,
  type OutboxSource,
  outboxAttempts,
  outboxDeliveries,
  outboxPending,
} from "../../../../../db/src/schema/outbox.ts";
