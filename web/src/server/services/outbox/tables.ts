/** The report tables, re-exported for the report services. */
export {
  type DeliveryState,
  INTEGRATION_KIND_VALUES,
  type IntegrationKind,
  type IntegrationRow,
  integrations,
  newIntegrationId,
  type OutboxDeliveryRow,
  type OutboxSource,
  outboxAttempts,
  outboxDeliveries,
  outboxPending,
} from "@ringfence/db";
