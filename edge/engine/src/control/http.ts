import type { z } from "zod";
import { ControlPlaneError, parseRetryAfter } from "./errors.ts";

/** The fetch signature the client needs; the Node gateway passes one bound to its CA. */
export type FetchLike = (input: Request) => Promise<Response>;

export interface SendOptions {
  operation: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Sends one request with a deadline and turns every failure into a ControlPlaneError: no answer
 * becomes status 0, an answer with an error status carries the problem+json code and detail.
 * Successful responses are returned untouched for the caller to read.
 */
export async function send(
  fetcher: FetchLike,
  request: Request,
  options: SendOptions,
): Promise<Response> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;

  let response: Response;
  try {
    response = await fetcher(new Request(request, { signal }));
  } catch (cause) {
    const code = deadline.aborted ? "timeout" : "unreachable";
    throw new ControlPlaneError({ operation: options.operation, status: 0, code, cause });
  }
  if (response.status >= 400) {
    throw await errorFrom(response, options.operation);
  }
  return response;
}

async function errorFrom(response: Response, operation: string): Promise<ControlPlaneError> {
  const problem = await readProblem(response);
  return new ControlPlaneError({
    operation,
    status: response.status,
    code: problem.code ?? `http-${response.status}`,
    detail: problem.detail,
    requestId: problem.requestId ?? response.headers.get("x-request-id") ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
  });
}

interface Problem {
  code?: string;
  detail?: string;
  requestId?: string;
}

/** Reads a problem+json body leniently: an unreadable body still yields a usable error. */
async function readProblem(response: Response): Promise<Problem> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return {};
  }
  if (typeof body !== "object" || body === null) {
    return {};
  }
  const fields = body as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 1000) : undefined);
  return {
    code: text(fields.code),
    detail: text(fields.detail) ?? text(fields.title) ?? text(fields.message),
    requestId: text(fields.requestId),
  };
}

/** Reads a JSON success body and checks it against the contract. */
export async function readJson<T>(
  response: Response,
  schema: z.ZodType<T>,
  operation: string,
): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new ControlPlaneError({ operation, status: response.status, code: "bad-body", cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ControlPlaneError({
      operation,
      status: response.status,
      code: "bad-body",
      detail: `the control plane answered with an unexpected body: ${parsed.error.message}`,
    });
  }
  return parsed.data;
}
