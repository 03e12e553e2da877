/**
 * A request to the control plane that did not succeed. `status` is the HTTP status, or 0 when
 * no response arrived (network failure, timeout); `code` and `detail` come from the control
 * plane's problem+json body when it sent one.
 */
export class ControlPlaneError extends Error {
  override readonly name = "ControlPlaneError";
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  /** The delay the control plane asked for with Retry-After, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    operation: string;
    status: number;
    code: string;
    detail?: string | undefined;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    const reason = init.detail ?? init.code;
    super(`${init.operation} failed (${init.status || "no response"}): ${reason}`, {
      cause: init.cause,
    });
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Whether sending the same request again later may succeed (overload, outage, no answer). */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * Reads Retry-After as milliseconds from now: either delay-seconds or an HTTP date. Returns
 * undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
