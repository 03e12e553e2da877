import type { Duplex } from "node:stream";
import type { Detection } from "@ringfence/engine/documents";
import type { Dispatcher } from "undici";
import type { RequestHead } from "../http/head.ts";
import { relayedHead, sendError, writeAll } from "../http/response.ts";
import type { ResponseFilter } from "./inspection.ts";

/** A refusal found while relaying a request body (a bad chunk signature, a wrong checksum). */
export class RequestRefused extends Error {
  override readonly name = "RequestRefused";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly finding: Detection,
  ) {
    super(message);
  }
}

/** Raised for a failure before the upstream answered: the client gets a 502, nothing relayed. */
export class UpstreamUnavailable extends Error {
  override readonly name = "UpstreamUnavailable";
}

/** How a relayed response ended. */
export type Relayed = { status: number; bytes: number; blocked: boolean };

/** One request on its way upstream, and where its response goes. */
export type RelayRequest = {
  stream: Duplex;
  head: RequestHead;
  /** Whether the client connection stays open after this response. */
  keepAlive: boolean;
  requestId: string;
  filter: ResponseFilter | undefined;
  upstream: Pick<Dispatcher.DispatchOptions, "method" | "path" | "headers" | "body"> & {
    /**
     * The name the upstream pool verifies (its host). undici reads this option though its types
     * leave it out; without it undici derives a name from the Host header on every request
     * (net.isIP over it), and a connection whose derived name changes (Host spelled in another
     * case) is closed and dialled again. Our pools' connect ignores it: they verify their host.
     */
    servername: string;
  };
};

/**
 * Sends the request upstream and relays the response to the client as undici hands over each
 * chunk (a dispatch handler, no response stream in between). Backpressure holds: a chunk the
 * client cannot take yet pauses the upstream read until the client drains. A failure before the
 * response head rejects with UpstreamUnavailable (or the body's RequestRefused); one after it
 * rejects with the error itself, since part of the response has already left.
 */
export function relayUpstream(client: Dispatcher, request: RelayRequest): Promise<Relayed> {
  return new Promise<Relayed>((resolve, reject) => {
    const relay = new ResponseRelay(request, resolve, reject);
    try {
      client.dispatch(request.upstream, relay);
    } catch (error) {
      relay.fail(new UpstreamUnavailable("the request could not be dispatched", { cause: error }));
    }
  });
}

const NO_BODY_STATUS = new Set([204, 304]);
const CHUNKED_END = Buffer.from("0\r\n\r\n");

// The gateway sets its own request id on the way back; with a response filter it re-frames too.
const notRelayed = (lower: string) => lower === "x-request-id";
const notRelayedFiltered = (lower: string) =>
  lower === "x-request-id" || lower === "content-length";

/**
 * The dispatch handler of one relayed response: one object per request rather than a closure
 * per callback, since it runs for every request the gateway forwards.
 */
class ResponseRelay implements Dispatcher.DispatchHandler {
  private status = 0;
  private bytes = 0;
  private bodyless = false;
  private chunked = false;
  /** The response head, held back until the first body bytes so both leave in one write. */
  private pending: Buffer | undefined;
  private upstream: Dispatcher.DispatchController | undefined;
  // Held until the relay settles, then dropped: see settle().
  private request: RelayRequest | undefined;
  private resolve: ((result: Relayed) => void) | undefined;
  private reject: ((error: Error) => void) | undefined;
  // Assigned in the constructor rather than as field initialisers: tsx (esbuild keepNames) would
  // define a name property on each of these per request.
  private readonly onDrain: () => void;
  private readonly onClose: () => void;

  constructor(
    request: RelayRequest,
    resolve: (result: Relayed) => void,
    reject: (error: Error) => void,
  ) {
    this.request = request;
    this.resolve = resolve;
    this.reject = reject;
    this.onDrain = () => this.upstream?.resume();
    this.onClose = () => {
      const error = new Error("client connection closed");
      this.upstream?.abort(error);
      this.fail(error);
    };
    request.stream.on("drain", this.onDrain);
    request.stream.once("close", this.onClose);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.upstream = controller;
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const request = this.request;
    if (!request) return;
    const { head, filter, requestId } = request;
    this.upstream = controller;
    this.status = statusCode;
    // With a response filter the body may be redacted, so its length is not known in advance.
    const relayed = relayedHead(statusCode, headers, filter ? notRelayedFiltered : notRelayed);
    this.bodyless = head.method === "HEAD" || NO_BODY_STATUS.has(statusCode) || statusCode < 200;
    this.chunked = !this.bodyless && !relayed.hasLength;
    let text = relayed.text;
    if (this.chunked) text += "transfer-encoding: chunked\r\n";
    text += `x-request-id: ${requestId}\r\n`;
    if (!request.keepAlive) text += "connection: close\r\n";
    this.pending = Buffer.from(`${text}\r\n`, "latin1");
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.request) return;
    this.bytes += chunk.length;
    const filter = this.request.filter;
    const scanned = filter ? filter.push(chunk) : undefined;
    if (scanned?.block) this.blocked();
    else this.write(scanned ? scanned.output : chunk, controller);
  }

  onResponseEnd(): void {
    const filter = this.request?.filter;
    if (!filter) {
      this.end(undefined);
      return;
    }
    filter
      .finish()
      .then((last) => this.end(last))
      .catch((error: Error) => this.fail(error));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const unanswered = this.status === 0 && !(error instanceof RequestRefused);
    this.fail(unanswered ? new UpstreamUnavailable(error.message, { cause: error }) : error);
  }

  /** Rejects the relay (once); the client connection's listeners are removed either way. */
  fail(error: Error): void {
    this.settle()?.reject(error);
  }

  private succeed(result: Relayed): void {
    this.settle()?.resolve(result);
  }

  /**
   * Settles the relay (once): drops everything it held, returning the callbacks for
   * the caller to settle with. undici's request keeps its handler after it completes, and what
   * an old, dead request still points at survives the young-generation collections until the
   * next full one: without this every request's head, controller and upstream request were
   * promoted, and the collector's time per request was several times the reference proxy's.
   */
  private settle():
    | { resolve: (result: Relayed) => void; reject: (error: Error) => void }
    | undefined {
    const { request, resolve, reject } = this;
    if (!request || !resolve || !reject) return undefined;
    request.stream.off("drain", this.onDrain);
    request.stream.off("close", this.onClose);
    this.request = undefined;
    this.resolve = undefined;
    this.reject = undefined;
    this.upstream = undefined;
    this.pending = undefined;
    return { resolve, reject };
  }

  private write(chunk: Uint8Array, controller: Dispatcher.DispatchController): void {
    const stream = this.request?.stream;
    if (!stream || chunk.length === 0 || this.bodyless) return;
    const framed = this.chunked
      ? frameChunk(chunk)
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const out = this.pending ? Buffer.concat([this.pending, framed]) : framed;
    this.pending = undefined;
    if (stream.destroyed) this.onClose();
    else if (!stream.write(out)) controller.pause();
  }

  private end(last: { output: Uint8Array; block: boolean } | undefined): void {
    const stream = this.request?.stream;
    if (!stream) return;
    if (last?.block) {
      this.blocked();
      return;
    }
    if (last && this.upstream) this.write(last.output, this.upstream);
    const tail = this.chunked ? CHUNKED_END : undefined;
    const out = this.pending && tail ? Buffer.concat([this.pending, tail]) : (this.pending ?? tail);
    const done = { status: this.status, bytes: this.bytes, blocked: false };
    if (!out) {
      this.succeed(done);
      return;
    }
    writeAll(stream, out).then(
      () => this.succeed(done),
      (error: Error) => this.fail(error),
    );
  }

  /**
   * Settled before the upstream is aborted, since an abort may report its error at once.
   * Nothing has reached the client while the head still waits: it gets a 403 instead of a
   * dropped connection; after the head, the response is cut off mid-body (closed without the
   * final chunk, so the client sees an incomplete response rather than one that looks whole).
   */
  private blocked(): void {
    const { request, upstream } = this;
    if (!request) return;
    const beforeHead = this.pending !== undefined;
    this.succeed({ status: beforeHead ? 403 : this.status, bytes: this.bytes, blocked: true });
    upstream?.abort(new Error("response blocked by inspection"));
    if (!beforeHead) {
      request.stream.destroy();
      return;
    }
    sendError(
      request.stream,
      403,
      "blocked-by-inspection",
      "an inspection profile blocked the response",
      request.requestId,
    );
  }
}

function frameChunk(chunk: Uint8Array): Buffer {
  return Buffer.concat([
    Buffer.from(`${chunk.length.toString(16)}\r\n`),
    chunk,
    Buffer.from("\r\n"),
  ]);
}
