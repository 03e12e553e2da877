import { createHash } from "node:crypto";
import { Crc32 } from "@aws-crypto/crc32";
import { Crc32c } from "@aws-crypto/crc32c";
import { chunkSignature, sameHex, trailerSignature } from "./sigv4.ts";

/**
 * Request bodies of the S3 endpoint, checked as they stream upstream. Whatever the framing, the
 * last piece of the body is held back until every check has passed (the chunk signatures, the
 * checksum trailer, the payload hash, the decoded length): the upstream request carries the
 * decoded length, so a refused body never arrives whole and S3 stores nothing.
 */

/** A body that failed a check; the endpoint turns it into a refusal with this code. */
export class S3BodyError extends Error {
  override readonly name = "S3BodyError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How a client's chunks are signed: its signing key, date, scope and request signature. */
export type ChunkSigning = { key: Buffer; longDate: string; scope: string; seed: string };

/** The aws-chunked variants, from `x-amz-content-sha256`. */
export type ChunkedVariant = { signed: boolean; trailer: boolean };

type Digest = { update(data: Uint8Array): void; digest(): Buffer };

/** The checksum algorithms S3 trailers use, by trailer header name. */
function checksumFor(header: string): Digest | undefined {
  const crc = (impl: Crc32 | Crc32c): Digest => ({
    update: (data) => void impl.update(data),
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(impl.digest() >>> 0);
      return out;
    },
  });
  const hash = (algorithm: string): Digest => {
    const h = createHash(algorithm);
    return { update: (data) => void h.update(data), digest: () => h.digest() };
  };
  if (header === "x-amz-checksum-crc32") return crc(new Crc32());
  if (header === "x-amz-checksum-crc32c") return crc(new Crc32c());
  if (header === "x-amz-checksum-sha1") return hash("sha1");
  if (header === "x-amz-checksum-sha256") return hash("sha256");
  return undefined;
}

/** True when the gateway can check a trailer of this name. */
export function supportedTrailer(name: string): boolean {
  return checksumFor(name) !== undefined;
}

const MAX_CHUNK = 16 * 1024 * 1024;
const MAX_LINE = 4096;

/** Reads framed bytes line by line and block by block from an async source. */
class Framed {
  private buf = Buffer.alloc(0);
  private readonly source: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  async line(): Promise<string> {
    for (;;) {
      const end = this.buf.indexOf("\r\n");
      if (end !== -1) {
        const text = this.buf.subarray(0, end).toString("latin1");
        this.buf = this.buf.subarray(end + 2);
        return text;
      }
      if (this.buf.length > MAX_LINE) throw bad("a chunk header line is too long");
      await this.fill();
    }
  }

  async block(length: number): Promise<Buffer> {
    while (this.buf.length < length) await this.fill();
    const out = this.buf.subarray(0, length);
    this.buf = this.buf.subarray(length);
    return out;
  }

  async end(): Promise<void> {
    if (this.buf.length > 0) throw bad("bytes follow the end of the aws-chunked body");
    const next = await this.source.next();
    if (!next.done && next.value.length > 0) throw bad("bytes follow the end of the body");
  }

  private async fill(): Promise<void> {
    const next = await this.source.next();
    if (next.done) throw bad("the aws-chunked body ends early");
    this.buf =
      this.buf.length === 0 ? Buffer.from(next.value) : Buffer.concat([this.buf, next.value]);
  }
}

function bad(message: string): S3BodyError {
  return new S3BodyError("aws-chunked-invalid", message);
}

/** Parses `size[;chunk-signature=sig]`. */
function chunkHeader(line: string, signed: boolean): { size: number; signature?: string } {
  const match = /^([0-9a-fA-F]{1,8})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(line);
  if (!match?.[1]) throw bad("a chunk header is malformed");
  if (signed !== (match[2] !== undefined)) {
    throw bad(signed ? "a chunk has no signature" : "an unsigned upload carries chunk signatures");
  }
  const size = Number.parseInt(match[1], 16);
  if (size > MAX_CHUNK) throw bad(`a chunk is larger than ${MAX_CHUNK} bytes`);
  return { size, signature: match[2] };
}

/**
 * Decodes an aws-chunked body: verifies each chunk signature (signed variants), the checksum
 * trailer named by `x-amz-trailer` and its signature (trailer variants), and the decoded length;
 * yields the payload with the last piece held back until all of that has passed.
 */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  variant: ChunkedVariant,
  options: { decodedLength: number; trailer?: string; signing?: ChunkSigning },
): AsyncGenerator<Uint8Array> {
  const framed = new Framed(source);
  const checksum = options.trailer ? checksumFor(options.trailer) : undefined;
  let previous = options.signing?.seed ?? "";
  let held: Buffer | undefined;
  let total = 0;
  for (;;) {
    const header = chunkHeader(await framed.line(), variant.signed);
    const data = await framed.block(header.size);
    if (header.size > 0 && (await framed.line()) !== "")
      throw bad("a chunk is longer than its size");
    if (options.signing && header.signature !== undefined) {
      const { key, longDate, scope } = options.signing;
      const expected = chunkSignature(key, longDate, scope, previous, data);
      if (!sameHex(expected, header.signature)) {
        throw new S3BodyError("chunk-signature-mismatch", "a chunk signature does not match");
      }
      previous = header.signature;
    }
    if (header.size === 0) break;
    total += data.length;
    if (total > options.decodedLength)
      throw bad("the body is longer than x-amz-decoded-content-length");
    checksum?.update(data);
    if (held) yield held;
    held = data;
  }
  if (variant.trailer) await checkTrailer(framed, options, checksum, previous);
  else if ((await framed.line()) !== "")
    throw bad("the last chunk is not followed by an empty line");
  await framed.end();
  if (total !== options.decodedLength)
    throw bad("the body is shorter than x-amz-decoded-content-length");
  if (held) yield held;
}

async function checkTrailer(
  framed: Framed,
  options: { trailer?: string; signing?: ChunkSigning },
  checksum: Digest | undefined,
  previous: string,
): Promise<void> {
  const lines: string[] = [];
  for (let line = await framed.line(); line !== ""; line = await framed.line()) {
    if (lines.length > 8) throw bad("too many trailer lines");
    lines.push(line);
  }
  const fields = new Map(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  if (options.signing) {
    const signature = fields.get("x-amz-trailer-signature") ?? "";
    const signedText = lines
      .filter((line) => !line.toLowerCase().startsWith("x-amz-trailer-signature"))
      .map((line) => `${line}\n`)
      .join("");
    const { key, longDate, scope } = options.signing;
    if (!sameHex(trailerSignature(key, longDate, scope, previous, signedText), signature)) {
      throw new S3BodyError("trailer-signature-mismatch", "the trailer signature does not match");
    }
  }
  if (!options.trailer || !checksum) return;
  const sent = fields.get(options.trailer);
  if (sent === undefined) throw bad(`the trailer ${options.trailer} is missing`);
  if (checksum.digest().toString("base64") !== sent) {
    throw new S3BodyError("checksum-mismatch", `the body does not match ${options.trailer}`);
  }
}

/**
 * Passes a plain body through while hashing it, holding the last piece back until its SHA-256
 * matches the `x-amz-content-sha256` the client signed.
 */
export async function* checkPayloadHash(
  source: AsyncIterable<Uint8Array>,
  expectedHex: string,
): AsyncGenerator<Uint8Array> {
  const hash = createHash("sha256");
  let held: Uint8Array | undefined;
  for await (const piece of source) {
    hash.update(piece);
    if (held) yield held;
    held = piece;
  }
  if (!sameHex(hash.digest("hex"), expectedHex)) {
    throw new S3BodyError("payload-hash-mismatch", "the body does not match x-amz-content-sha256");
  }
  if (held) yield held;
}
