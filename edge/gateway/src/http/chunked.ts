import { FramingError } from "./errors.ts";

const CHUNK_LINE =
  /^([0-9A-Fa-f]{1,15})((?:;[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e]|\\[\t\x20-\x7e])*"))?)*)$/;
const TRAILER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*$/;
const MAX_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;

type State = "size" | "data" | "data-end" | "trailer" | "done";

/** What one `push` produced: decoded body bytes, and the bytes after the body once it ended. */
export type ChunkedOutput = { data: Buffer[]; done: boolean; rest: Buffer };

/**
 * Incremental, strict decoder for `Transfer-Encoding: chunked`. Chunk sizes are bare hex (no
 * whitespace, no sign, at most 15 digits so they cannot overflow), extensions must be well-formed
 * tokens or quoted strings, every line ends in CRLF, and trailers are validated then dropped.
 */
export class ChunkedDecoder {
  private state: State = "size";
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private trailerBytes = 0;

  /** Feeds received bytes; throws a FramingError on the first malformed byte. */
  push(bytes: Buffer): ChunkedOutput {
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    const data: Buffer[] = [];
    while (this.state !== "done") {
      if (this.state === "data") {
        if (this.pending.length === 0) break;
        const take = Math.min(this.remaining, this.pending.length);
        data.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = "data-end";
        continue;
      }
      const line = this.takeLine();
      if (line === undefined) break;
      this.onLine(line);
    }
    const done = this.state === "done";
    const rest = done ? this.pending : Buffer.alloc(0);
    if (done) this.pending = Buffer.alloc(0);
    return { data, done, rest };
  }

  private takeLine(): string | undefined {
    const end = this.pending.indexOf("\r\n");
    const limit = end === -1 ? this.pending.length : end;
    const lf = this.pending.subarray(0, limit).indexOf(0x0a);
    const cr = this.pending.subarray(0, limit).indexOf(0x0d);
    if (lf !== -1) throw new FramingError("chunk-bare-lf", "chunked body line ended with bare LF");
    if (cr !== -1 && (end !== -1 || cr < limit - 1))
      throw new FramingError("chunk-bare-cr", "bare CR in body");
    if (end === -1) {
      if (this.pending.length > MAX_LINE) {
        throw new FramingError("chunk-line-too-long", "chunk size line too long");
      }
      return undefined;
    }
    const line = this.pending.subarray(0, end).toString("latin1");
    this.pending = this.pending.subarray(end + 2);
    return line;
  }

  private onLine(line: string): void {
    if (this.state === "data-end") {
      if (line !== "") throw new FramingError("chunk-data-end", "chunk data longer than its size");
      this.state = "size";
      return;
    }
    if (this.state === "trailer") {
      this.onTrailer(line);
      return;
    }
    const match = CHUNK_LINE.exec(line);
    const size = match?.[1];
    if (size === undefined) {
      throw new FramingError("chunk-size", "invalid chunk size or chunk extension");
    }
    this.remaining = Number.parseInt(size, 16);
    this.state = this.remaining === 0 ? "trailer" : "data";
  }

  private onTrailer(line: string): void {
    if (line === "") {
      this.state = "done";
      return;
    }
    this.trailerBytes += line.length + 2;
    if (this.trailerBytes > MAX_TRAILER_BYTES) {
      throw new FramingError("trailer-too-large", "chunked trailers exceed the size limit");
    }
    if (!TRAILER_LINE.test(line)) throw new FramingError("trailer", "malformed trailer field");
  }
}
