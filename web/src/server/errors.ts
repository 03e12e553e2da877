import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The closed set of error codes and their HTTP status: the only place a status is chosen for an
 * error. Services throw `AppError` with a code; transports turn it into a response.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  malformed_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_second_factor: 401,
  mfa_required: 401,
  step_up_required: 401,
  forbidden: 403,
  csrf_rejected: 403,
  mfa_enrollment_required: 403,
  not_found: 404,
  conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Short titles per code; `detail` carries the specifics of one occurrence. */
const TITLES: Record<ErrorCode, string> = {
  invalid_request: "The request is invalid",
  malformed_json: "The request body is not valid JSON",
  unauthenticated: "Authentication is required",
  invalid_credentials: "The email or password is wrong",
  invalid_second_factor: "The code is wrong, expired or already used",
  mfa_required: "A second factor is required to finish signing in",
  step_up_required: "Confirm it is you before this action",
  forbidden: "Your role does not allow this",
  csrf_rejected: "Cross-site request refused",
  mfa_enrollment_required: "This organisation requires a second factor; enrol one first",
  not_found: "Not found",
  conflict: "Conflict with the current state",
  idempotency_in_progress: "A request with this Idempotency-Key is still running",
  payload_too_large: "The request body is too large",
  unsupported_media_type: "Unsupported media type",
  idempotency_key_reused: "The Idempotency-Key was used with a different request",
  rate_limited: "Too many requests",
  internal: "Internal error",
};

/** One invalid input: where it was (`body`, `query`, `param`, `header`) and its path. */
export interface InvalidField {
  location: string;
  path: string;
  message: string;
}

/**
 * A request that resolves the problem, for clients to follow by machine; the human `detail`
 * says the same in plain words.
 */
export interface ProblemAction {
  method: "GET" | "POST";
  path: string;
  /** What the request does, e.g. `step_up` or `sso_step_up`. */
  purpose: string;
}

export interface AppErrorOptions {
  fields?: InvalidField[];
  actions?: ProblemAction[];
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An expected failure with a code from the closed set. Its `detail` is safe to show clients. */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly fields: InvalidField[] | undefined;
  readonly actions: ProblemAction[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    options: AppErrorOptions = {},
  ) {
    super(`${code}: ${detail}`, { cause: options.cause });
    this.fields = options.fields;
    this.actions = options.actions;
    this.headers = options.headers ?? {};
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

/** The RFC 9457 body. `type` is a URN, so it names the problem without pointing at any host. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: InvalidField[];
  actions?: ProblemAction[];
}

export function problemOf(error: AppError, requestId: string): ProblemDocument {
  return {
    type: `urn:ringfence:problem:${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId,
    ...(error.fields ? { errors: error.fields } : {}),
    ...(error.actions ? { actions: error.actions } : {}),
  };
}

/** The answer to an error nobody expected: no message, no cause, only the request id. */
export function internalError(cause: unknown): AppError {
  return new AppError("internal", "An unexpected error occurred; quote the request id.", { cause });
}
