/**
 * The bindings wrangler hands the worker: vars from `wrangler.jsonc`, secrets from
 * `wrangler secret put` (or `.dev.vars` locally) and the optional KV namespace. Everything is
 * untyped text here; `parseConfig` turns it into a checked configuration.
 */
export interface Env {
  /** Base URL of the protected origin, e.g. an API Gateway stage or a Lambda function URL. */
  ORIGIN_URL?: string;
  /** Base URL of the Ringfence control plane. */
  CONTROL_PLANE_URL?: string;
  /** The enforcer credential issued at registration (secret). */
  ENFORCER_CREDENTIAL?: string;
  /** The organisation whose bundles this worker enforces. */
  ORGANIZATION_ID?: string;
  /** JSON array of trusted bundle signing keys, `[{ keyId, publicKey }]` (secret or var). */
  TRUSTED_KEYS?: string;
  /** Shared secret for the origin lock-down signature (secret). */
  ORIGIN_SIGNING_SECRET?: string;
  /** Bearer token that opens `/__ringfence/status` (secret). */
  STATUS_TOKEN?: string;
  /** How old the enforced bundle may get before a request waits for a refresh. */
  BUNDLE_MAX_STALENESS_SECONDS?: string;
  /** Largest number of events sent in one batch. */
  EVENT_BATCH_SIZE?: string;
  /** How long a flush waits for more events before sending, in milliseconds. */
  EVENT_LINGER_MS?: string;
  /** Identifier of this enforcer in events and status. */
  ENFORCER_ID?: string;
  /** Optional KV namespace the control plane writes each published bundle into. */
  BUNDLES?: KVNamespace;
}
