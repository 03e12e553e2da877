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
  const headers = new Headers(upstream.headers);
  // Redaction can change the length, so the body goes out chunked.
  headers.delete("content-length");
  if (upstream.body === null) {
    const response = new Response(null, { status: upstream.status, headers });
    return { response, done: Promise.resolve({ detections: [], blocked: false }) };
  }

  const scanner = createBodyScanner(profiles, "response");
  const reader = upstream.body.getReader();
  let settle: (verdict: ResponseVerdict) => void = () => {};
  const done = new Promise<ResponseVerdict>((resolve) => {
    settle = resolve;
  });

  // A pull source rather than a pipe: the scanner sees each chunk before the client does, and
  // a block errors the client's stream and cancels the origin's without a dangling pipe.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done: ended } = await reader.read();
      const step = ended ? await scanner.finish() : scanner.push(value);
      if (step.block) {
        settle({ detections: step.detections, blocked: true });
        await reader.cancel().catch(() => undefined);
        controller.error(new Error("response blocked by inspection"));
        return;
      }
      if (step.output.byteLength > 0) controller.enqueue(step.output);
      if (ended) {
        settle({ detections: step.detections, blocked: false });
        controller.close();
      }
    },
    async cancel(reason) {
      settle({ detections: [], blocked: false });
      await reader.cancel(reason);
    },
  });
  return { response: new Response(body, { status: upstream.status, headers }), done };
}
