import {
  type CompiledProfiles,
  createBodyScanner,
  type Detection,
  type InspectionResult,
  inspectRequest,
} from "@ringfence/engine/inspect";

/**
 * Request bodies are read whole before inspection, so the worker bounds them well inside its
 * 128 MB; a larger body is refused (413) rather than forwarded uninspected.
 */
export const MAX_INSPECTED_BODY_BYTES = 8 * 1024 * 1024;

/** Reads a request body up to the limit; undefined when it is larger. */
export async function readBounded(
  request: Request,
  limit: number,
): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return undefined;
  if (request.body === null) return new Uint8Array(0);

  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body) {
    total += chunk.byteLength;
    if (total > limit) return undefined;
    chunks.push(chunk);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Runs WAF, IPS, request DLP and malware checks on a buffered request. */
export function inspectInbound(
  profiles: CompiledProfiles,
  request: Request,
  body: Uint8Array,
  clientIp: string,
): InspectionResult {
  const url = new URL(request.url);
  // Workers take the Host into the URL; the inspected request carries it as a header again, so
  // the WAF sees what the client sent.
  const headers = [...request.headers].filter(([name]) => name !== "host");
  return inspectRequest(profiles, {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    headers: [["host", url.host], ...headers],
    body,
    sourceIp: clientIp,
  });
}

/** What response scanning found once the body has ended (or was cut). */
export interface ResponseVerdict {
  detections: Detection[];
  blocked: boolean;
}

/**
 * Streams a response body through the engine's DLP/malware scanner. Redacted bytes replace the
 * originals as they pass. When a rule blocks, the headers have already gone to the client, so
 * the stream is aborted: the client gets a truncated, failed response and never the rest of
 * the data. `done` settles with the verdict when the body ends either way.
 */
export function scanResponse(
  profiles: CompiledProfiles,
  upstream: Response,
): { response: Response; done: Promise<ResponseVerdict> } {
  const scanner = createBodyScanner(profiles, "response");
  // The scanner reports every finding so far on each step, so the latest report is complete.
  let found: Detection[] = [];
  let settle: (verdict: ResponseVerdict) => void = () => {};
  const done = new Promise<ResponseVerdict>((resolve) => {
    settle = resolve;
  });

  const transform = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const step = scanner.push(chunk);
      found = step.detections;
      if (step.block) {
        settle({ detections: found, blocked: true });
        controller.error(new Error("response blocked by inspection"));
        return;
      }
      controller.enqueue(step.output);
    },
    async flush(controller) {
      const last = await scanner.finish();
      found = last.detections;
      settle({ detections: found, blocked: last.block });
      if (last.block) {
        controller.error(new Error("response blocked by inspection"));
        return;
      }
      controller.enqueue(last.output);
    },
  });

  const headers = new Headers(upstream.headers);
  // Redaction can change the length, so the body goes out chunked.
  headers.delete("content-length");
  const body = upstream.body?.pipeThrough(transform) ?? null;
  if (body === null) settle({ detections: [], blocked: false });
  const response = new Response(body, { status: upstream.status, headers });
  return { response, done };
}
