import { type BundleEnvelope, bundleEnvelopeSchema } from "../bundle/index.ts";
import type { DecisionEvent } from "../documents/index.ts";
import {
  CONTROL_PATHS,
  credentialResponseSchema,
  type EnforcerKind,
  type EventsReceipt,
  eventsResponseSchema,
  MAX_BUNDLE_WAIT_SECONDS,
  type ProxyCa,
  proxyCaResponseSchema,
  type RegisterResponse,
  registerResponseSchema,
  type StatusReport,
} from "./contract.ts";
import { ControlPlaneError } from "./errors.ts";
import { type FetchLike, readJson, send } from "./http.ts";
import { type RetryPolicy, withRetries } from "./retry.ts";
import { type ControlPlaneUrlOptions, parseControlPlaneUrl } from "./url.ts";

export interface EnforcerClientOptions extends ControlPlaneUrlOptions {
  /** The control plane's base URL, e.g. `https://ringfence.example.com/`. */
  baseUrl: string;
  /** The enforcer credential (`rfe_…`) when already registered. */
  credential?: string;
  /** Defaults to the global fetch; the Node gateway passes one that trusts its CA. */
  fetch?: FetchLike;
  /** Deadline for requests that do not park, in milliseconds (10 s). */
  timeoutMs?: number;
  /** Sent as User-Agent, e.g. `ringfence-gateway/1.2.0`. */
  userAgent?: string;
  /** How event batches are retried; see RetryPolicy. */
  retry?: Partial<RetryPolicy>;
}

/** The outcome of one bundle poll. */
export type BundlePoll =
  | { status: "modified"; envelope: BundleEnvelope; etag: string; version: number | undefined }
  | { status: "not-modified" };

const PARK_MARGIN_MS = 15_000;

/**
 * Talks to the control plane on behalf of one enforcer (Node gateway or Worker) with nothing
 * but fetch: registration, bundle long-polling, heartbeats and event batches. It does not
 * verify bundles; hand each envelope to a BundleVerifier before enforcing it.
 */
export class EnforcerClient {
  readonly baseUrl: URL;
  #credential: string | undefined;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #userAgent: string | undefined;
  readonly #retry: Partial<RetryPolicy>;

  constructor(options: EnforcerClientOptions) {
    this.baseUrl = parseControlPlaneUrl(options.baseUrl, options);
    this.#credential = options.credential;
    this.#fetch = options.fetch ?? ((request) => fetch(request));
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#userAgent = options.userAgent;
    this.#retry = options.retry ?? {};
  }

  /** Whether the client holds an enforcer credential. */
  get registered(): boolean {
    return this.#credential !== undefined;
  }

  /**
   * Exchanges a one-time registration token for this enforcer's own credential, which the
   * client keeps from then on. Persist `credential` and `trustedKeys` from the answer.
   */
  async register(
    token: string,
    init: { kind: EnforcerKind; softwareVersion?: string },
  ): Promise<RegisterResponse> {
    const operation = "registration";
    const request = this.#request(CONTROL_PATHS.register, token, {
      method: "POST",
      body: JSON.stringify(init),
    });
    const response = await send(this.#fetch, request, { operation, timeoutMs: this.#timeoutMs });
    const answer = await readJson(response, registerResponseSchema, operation);
    this.#credential = answer.credential;
    return answer;
  }

  /**
   * Asks for the newest bundle. With `etag` (the hash of the bundle held) the control plane
   * parks the request up to `wait` seconds until a newer bundle exists; `wait: 0` answers at
   * once, for Workers that cannot hold a request open.
   */
  async pollBundle(
    options: { etag?: string | undefined; wait?: number; signal?: AbortSignal } = {},
  ): Promise<BundlePoll> {
    const operation = "bundle poll";
    const wait = Math.min(Math.max(0, Math.floor(options.wait ?? 30)), MAX_BUNDLE_WAIT_SECONDS);
    const headers: Record<string, string> = {};
    if (options.etag !== undefined) {
      headers["if-none-match"] = `"${options.etag}"`;
    }

    const request = this.#request(
      `${CONTROL_PATHS.bundle}?wait=${wait}`,
      this.#requireCredential(),
      {
        method: "GET",
        headers,
      },
    );
    const timeoutMs = wait * 1000 + PARK_MARGIN_MS;
    const response = await send(this.#fetch, request, {
      operation,
      timeoutMs,
      signal: options.signal,
    });
    if (response.status === 304 || response.status === 204) {
      await response.body?.cancel();
      return { status: "not-modified" };
    }
    return readBundle(response, operation);
  }

  /** Reports the bundle version this enforcer enforces (the heartbeat behind drift detection). */
  async reportStatus(report: StatusReport): Promise<void> {
    const request = this.#request(CONTROL_PATHS.status, this.#requireCredential(), {
      method: "POST",
      body: JSON.stringify(report),
    });
    const response = await send(this.#fetch, request, {
      operation: "status report",
      timeoutMs: this.#timeoutMs,
    });
    await response.body?.cancel();
  }

  /**
   * Sends one batch of decision events. Overload (429), outages (5xx) and lost answers are
   * retried within the retry policy, waiting as long as Retry-After asks; resending is safe
   * because the control plane stores each event id once. Throws a ControlPlaneError when the
   * batch is refused (413, 422) or the policy is exhausted, so the caller can spool the batch.
   */
  async postEvents(
    events: readonly DecisionEvent[],
    options: { signal?: AbortSignal } = {},
  ): Promise<EventsReceipt> {
    const operation = "events upload";
    const credential = this.#requireCredential();
    const body = JSON.stringify({ events });

    return withRetries(this.#retry, options.signal, async () => {
      const request = this.#request(CONTROL_PATHS.events, credential, { method: "POST", body });
      const response = await send(this.#fetch, request, {
        operation,
        timeoutMs: this.#timeoutMs,
        signal: options.signal,
      });
      return readJson(response, eventsResponseSchema, operation);
    });
  }

  /**
   * Replaces this enforcer's credential. The old one stops working as the control plane
   * answers, so persist the returned credential before anything else; the client uses it
   * from now on.
   */
  async rotateCredential(): Promise<string> {
    const operation = "credential rotation";
    const request = this.#request(CONTROL_PATHS.credential, this.#requireCredential(), {
      method: "POST",
      body: "{}",
    });
    const response = await send(this.#fetch, request, { operation, timeoutMs: this.#timeoutMs });
    const { credential } = await readJson(response, credentialResponseSchema, operation);
    this.#credential = credential;
    return credential;
  }

  /** Fetches the organisation's proxy-mode CA with its private key (gateways only). */
  async fetchProxyCa(): Promise<ProxyCa> {
    const operation = "proxy CA fetch";
    const request = this.#request(CONTROL_PATHS.ca, this.#requireCredential(), { method: "GET" });
    const response = await send(this.#fetch, request, { operation, timeoutMs: this.#timeoutMs });
    return readJson(response, proxyCaResponseSchema, operation);
  }

  #requireCredential(): string {
    if (this.#credential === undefined) {
      throw new ControlPlaneError({
        operation: "request",
        status: 0,
        code: "not-registered",
        detail: "the enforcer has no credential yet; register it first",
      });
    }
    return this.#credential;
  }

  #request(
    path: string,
    bearer: string,
    init: { method: string; body?: string; headers?: Record<string, string> },
  ): Request {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${bearer}`);
    headers.set("accept", "application/json");
    if (init.body !== undefined) {
      headers.set("content-type", "application/json");
    }
    if (this.#userAgent !== undefined) {
      headers.set("user-agent", this.#userAgent);
    }
    return new Request(new URL(path, this.baseUrl), {
      method: init.method,
      headers,
      body: init.body,
    });
  }
}

async function readBundle(response: Response, operation: string): Promise<BundlePoll> {
  const envelope = await readJson(response, bundleEnvelopeSchema, operation);
  const etag = /^"([0-9a-f]{64})"$/.exec(response.headers.get("etag") ?? "")?.[1];
  if (etag === undefined) {
    throw new ControlPlaneError({
      operation,
      status: response.status,
      code: "bad-body",
      detail: "the bundle answer has no ETag with the bundle hash",
    });
  }
  const version = Number(response.headers.get("x-ringfence-bundle-version") ?? Number.NaN);
  return {
    status: "modified",
    envelope,
    etag,
    version: Number.isSafeInteger(version) ? version : undefined,
  };
}
