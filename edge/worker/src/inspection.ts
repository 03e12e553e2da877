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
  const length = request.headers.get("content-length");
  const declared = Number(length ?? "0");
  if (declared > limit) return undefined;
  if (request.body === null) return new Uint8Array(0);
  // A declared length within the limit bounds the body (the runtime frames it by that length),
  // so it is read in one call instead of one await per chunk; the result is still checked.
  if (length !== null && Number.isSafeInteger(declared) && declared >= 0) {
    const whole = new Uint8Array(await request.arrayBuffer());
    return whole.byteLength > limit ? undefined : whole;
  }

  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body) {
    total += chunk.byteLength;
    if (total > limit) return undefined;
    chunks.push(chunk);
  }
  return join(chunks);
}

/**
 * Runs WAF, IPS, request DLP and malware checks on a buffered request; `url` is the request's
 * URL when the caller has already parsed it.
 */
export function inspectInbound(
  profiles: CompiledProfiles,
  request: Request,
  body: Uint8Array,
  clientIp: string,
  url = new URL(request.url),
): InspectionResult {
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
 * Responses up to this size are read whole and scanned in one step: cheaper than passing each
 * chunk through a JavaScript stream, and a block can still be answered properly because
 * nothing has gone to the client yet. Larger ones stream after this much was read.
 */
export const BUFFERED_RESPONSE_BYTES = 64 * 1024;

/**
 * Scans a response body with the engine's DLP/malware scanner; redacted bytes replace the
 * originals. A response that ends within BUFFERED_RESPONSE_BYTES is scanned whole and, when a
 * rule blocks, never sent: `response` is undefined and the caller answers instead. A longer one
 * is streamed: the headers go out first, so a block aborts the stream and the client gets a
 * truncated, failed response and never the rest of the data. `done` settles with the verdict
 * when the body ends either way.
 */
export async function scanResponse(
  profiles: CompiledProfiles,
  upstream: Response,
): Promise<{ response: Response | undefined; done: Promise<ResponseVerdict> }> {
  const headers = new Headers(upstream.headers);
  // Redaction can change the length, so the body goes out with a length of its own.
  headers.delete("content-length");
  const init = { status: upstream.status, headers };
  if (upstream.body === null) {
    return { response: new Response(null, init), done: Promise.resolve(NOTHING_FOUND) };
  }

  const reader = upstream.body.getReader();
  const head = await readUpTo(reader, BUFFERED_RESPONSE_BYTES);
  const scanner = createBodyScanner(profiles, "response");
  if (!head.ended) return scanStreamed(scanner, reader, head.bytes, init);

  const first = scanner.push(head.bytes);
  const last = first.block ? first : await scanner.finish();
  const verdict = { detections: last.detections, blocked: last.block };
  const response = last.block ? undefined : new Response(join([first.output, last.output]), init);
  return { response, done: Promise.resolve(verdict) };
}

const NOTHING_FOUND: ResponseVerdict = { detections: [], blocked: false };

/** Reads until the body ends or more than `limit` bytes arrived. */
async function readUpTo(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number) {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total <= limit) {
    const { value, done } = await reader.read();
    if (done) return { bytes: join(chunks), ended: true };
    chunks.push(value);
    total += value.byteLength;
  }
  return { bytes: join(chunks), ended: false };
}

/** One array of the chunks' bytes (the chunk itself when there is one). */
function join(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

function scanStreamed(
  scanner: ReturnType<typeof createBodyScanner>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  head: Uint8Array,
  init: ResponseInit,
) {
  let settle: (verdict: ResponseVerdict) => void = () => {};
  const done = new Promise<ResponseVerdict>((resolve) => {
    settle = resolve;
  });
  let pending: Uint8Array | undefined = head;

  // A pull source rather than a pipe: the scanner sees each chunk before the client does, and
  // a block errors the client's stream and cancels the origin's without a dangling pipe.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done: ended } = pending
        ? { value: pending, done: false }
        : await reader.read();
      pending = undefined;
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
      settle(NOTHING_FOUND);
      await reader.cancel(reason);
    },
  });
  return { response: new Response(body, init), done };
}
