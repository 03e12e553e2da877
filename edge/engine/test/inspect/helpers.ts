import type { InspectRequest } from "../../src/inspect/index.ts";

const encoder = new TextEncoder();

/** Builds a request model input from readable parts. */
export function request(
  method: string,
  target: string,
  headers: [string, string][] = [],
  body = "",
): InspectRequest {
  return {
    method,
    target,
    headers: [["Host", "app.example"], ["User-Agent", "test"], ...headers],
    body: encoder.encode(body),
  };
}

/** UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
