import type { TestApp } from "./app.ts";

/** The origin `app.request()` URLs carry; same-origin browser requests send it as `Origin`. */
export const ORIGIN = "http://localhost";

export interface CallOptions {
  body?: unknown;
  /** A raw body, sent as is (for malformed JSON and size tests). */
  rawBody?: string;
  cookie?: string;
  bearer?: string;
  headers?: Record<string, string>;
  /** Leave out the JSON content type. */
  noContentType?: boolean;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
  /** `body` with its fields reachable for assertions; tests read it as a record. */
  json: Record<string, unknown>;
}

/**
 * One request through `app.request()`, as a same-origin browser (with a cookie) or an API client
 * (with a bearer key) would send it.
 */
export async function call(
  app: TestApp,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { "X-Forwarded-For": "192.0.2.10" };
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody && !options.noContentType) headers["Content-Type"] = "application/json";
  if (options.cookie) {
    headers.Cookie = `rf_session=${options.cookie}`;
    if (method !== "GET") headers.Origin = ORIGIN;
  }
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  Object.assign(headers, options.headers);

  const body = options.rawBody ?? (hasBody ? JSON.stringify(options.body) : undefined);
  const response = await app.request(`${ORIGIN}${path}`, { method, headers, body });
  const text = await response.text();
  const parsed: unknown = text === "" ? null : JSON.parse(text);
  const json = (parsed !== null && typeof parsed === "object" ? parsed : {}) as Record<
    string,
    unknown
  >;
  return { status: response.status, headers: response.headers, body: parsed, json };
}

/** The session token from a response's Set-Cookie. */
export function sessionFrom(headers: Headers): string {
  const match = /rf_session=([^;]+)/.exec(headers.get("set-cookie") ?? "");
  if (!match?.[1]) throw new Error(`no session cookie in ${headers.get("set-cookie")}`);
  return match[1];
}
