/**
 * The enforcer side of the control-plane protocol, runtime-neutral (fetch only), shared by the
 * Node gateway and the Worker, plus the wire contract the control plane implements.
 */
export { type BundlePoll, EnforcerClient, type EnforcerClientOptions } from "./client.ts";
export {
  CONTROL_PATHS,
  credentialResponseSchema,
  ENFORCER_CREDENTIAL_PREFIX,
  ENFORCER_KINDS,
  type EnforcerKind,
  type EventsReceipt,
  eventsRequestSchema,
  eventsResponseSchema,
  MAX_BUNDLE_WAIT_SECONDS,
  MAX_EVENTS_BODY_BYTES,
  MAX_EVENTS_PER_BATCH,
  type ProxyCa,
  proxyCaResponseSchema,
  REGISTRATION_TOKEN_PREFIX,
  type RegisterRequest,
  type RegisterResponse,
  registerRequestSchema,
  registerResponseSchema,
  type StatusReport,
  statusRequestSchema,
} from "./contract.ts";
export { ControlPlaneError, parseRetryAfter } from "./errors.ts";
export type { FetchLike } from "./http.ts";
export { type RetryPolicy, sleepFor } from "./retry.ts";
export { type SyncOutcome, syncBundle } from "./sync.ts";
export { ControlPlaneUrlError, type ControlPlaneUrlOptions, parseControlPlaneUrl } from "./url.ts";
