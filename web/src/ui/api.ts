/** One invalid input as the API reports it in a problem's `errors`. */
export interface ProblemField {
  location: string;
  path: string;
  message: string;
}

/**
 * A failed API call, carrying the problem+json fields the console shows: the code, the detail,
 * and the request id, so a user can quote it to support and we can find the log line.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly requestId: string | null,
    readonly fields: ProblemField[],
  ) {
    super(`${code}: ${detail}`);
  }
}

/** A list route's answer (docs/api.md, Pagination). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  idempotencyKey?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldsOf(problem: Record<string, unknown>): ProblemField[] {
  const errors = problem.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(isRecord).map((e) => ({
    location: String(e.location ?? ""),
    path: String(e.path ?? ""),
    message: String(e.message ?? ""),
  }));
}

/** The API's problem+json answer (or what the response itself says) as an ApiError. */
export async function problemOf(response: Response): Promise<ApiError> {
  const headerId = response.headers.get("x-request-id");
  const body: unknown = await response.json().catch(() => null);
  if (!isRecord(body)) {
    return new ApiError(response.status, "internal", response.statusText, headerId, []);
  }
  return new ApiError(
    response.status,
    typeof body.code === "string" ? body.code : "internal",
    typeof body.detail === "string" ? body.detail : String(body.title ?? response.statusText),
    typeof body.requestId === "string" ? body.requestId : headerId,
    fieldsOf(body),
  );
}

/**
 * Calls the control plane's REST API on our own origin with the session cookie. Writes always
 * send JSON (the API refuses anything else); 204 answers resolve to `undefined`.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") headers["content-type"] = "application/json";
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;

  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: method === "GET" ? undefined : JSON.stringify(options.body ?? {}),
  });
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Builds a query string from the defined, non-empty values only. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
