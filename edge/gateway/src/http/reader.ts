import type { Duplex } from "node:stream";
import { ChunkedDecoder } from "./chunked.ts";
import { FramingError } from "./errors.ts";
import {
  type BodyFraming,
  DEFAULT_HEAD_LIMITS,
  findHeadEnd,
  type HeadLimits,
  parseRequestHead,
  type RequestHead,
} from "./head.ts";

// Above this many buffered bytes the socket is paused, so a fast client cannot fill memory.
const HIGH_WATER = 256 * 1024;

/**
 * Pull-based reader over a socket's bytes. The gateway parses requests itself from these bytes
 * instead of trusting node:http's lenient parser, and can hand the unread remainder to a tunnel
 * or a TLS layer when the connection changes protocol.
 */
export class SocketReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.buf.length > HIGH_WATER) this.stream.pause();
    this.notify();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };
  private readonly onError = (error: Error): void => {
    this.failure = error;
    this.notify();
  };

  constructor(private readonly stream: Duplex) {
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onError);
  }

  /** Bytes received and not yet consumed. */
  get buffered(): Buffer {
    return this.buf;
  }

  /** Waits for more bytes; false when the peer has finished sending. */
  async more(): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.ended) return false;
    this.stream.resume();
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    if (this.failure) throw this.failure;
    return !this.ended || this.buf.length > 0;
  }

  /** Consumes `length` bytes from the front of the buffer. */
  take(length: number): Buffer {
    const out = this.buf.subarray(0, length);
    this.buf = this.buf.subarray(length);
    return out;
  }

  /** Reads the next request head; undefined when the peer closed cleanly between requests. */
  async readHead(limits: HeadLimits = DEFAULT_HEAD_LIMITS): Promise<RequestHead | undefined> {
    for (;;) {
      const end = findHeadEnd(this.buf, limits);
      if (end !== -1) return parseRequestHead(this.take(end), limits);
      const before = this.buf.length;
      if (!(await this.more()) && this.buf.length === before) {
        if (before === 0) return undefined;
        throw new FramingError("truncated-head", "connection closed inside the request head");
      }
    }
  }

  /** Yields the decoded body of a message framed as described; leaves later bytes unread. */
  async *body(framing: BodyFraming): AsyncGenerator<Buffer> {
    if (framing.kind === "length") yield* this.lengthBody(framing.length);
    if (framing.kind === "chunked") yield* this.chunkedBody();
  }

  private async *lengthBody(length: number): AsyncGenerator<Buffer> {
    let left = length;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.more())) {
        throw new FramingError("truncated-body", "connection closed inside the body");
      }
      const part = this.take(Math.min(left, this.buf.length));
      left -= part.length;
      if (part.length > 0) yield part;
    }
  }

  private async *chunkedBody(): AsyncGenerator<Buffer> {
    const decoder = new ChunkedDecoder();
    for (;;) {
      const input = this.take(this.buf.length);
      const { data, done, rest } = decoder.push(input);
      for (const part of data) if (part.length > 0) yield part;
      if (done) {
        this.buf = this.buf.length === 0 ? rest : Buffer.concat([rest, this.buf]);
        return;
      }
      if (!(await this.more())) {
        throw new FramingError("truncated-body", "connection closed inside the chunked body");
      }
    }
  }

  /** Stops reading and returns the unread bytes, for a tunnel or TLS layer to take over. */
  detach(): Buffer {
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onError);
    this.stream.pause();
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
