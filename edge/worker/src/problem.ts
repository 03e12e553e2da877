/**
 * The worker's one error vocabulary: a closed set of codes, each mapped once to an HTTP status,
 * sent as RFC 9457 problem+json with the request id. Causes are logged, never sent.
 */
export const PROBLEMS = {
  denied: { status: 403, title: "Request denied by policy" },
  "no-policy": { status: 503, title: "No verified policy is available yet" },
  misconfigured: { status: 500, title: "The edge worker is misconfigured" },
  "origin-unreachable": { status: 502, title: "The origin could not be reached" },
  "response-blocked": { status: 502, title: "The origin's response was blocked by inspection" },
  "body-too-large": { status: 413, title: "Request body too large to inspect" },
  unauthorized: { status: 401, title: "Authentication required" },
  "not-found": { status: 404, title: "No such Ringfence endpoint" },
  "no-client-address": { status: 400, title: "The client address is unknown" },
  "bad-request": { status: 400, title: "The request cannot be decided on" },
  internal: { status: 500, title: "Internal error" },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

/** Extra members a problem may carry; only ids, never internal detail. */
export interface ProblemExtras {
  /** The rule that decided, for denials. */
  ruleId?: string;
  /** Ids of the detections that blocked the request. */
  detections?: string[];
}

/** Builds the problem+json response for a code. */
export function problem(code: ProblemCode, requestId: string, extras: ProblemExtras = {}) {
  const { status, title } = PROBLEMS[code];
  const body = { type: `urn:ringfence:problem:${code}`, title, status, code, requestId, ...extras };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "x-request-id": requestId,
    },
  });
}
