import { FramingError } from "./errors.ts";

/** One header as received: original name spelling, value with surrounding whitespace removed. */
export type HeaderField = readonly [name: string, value: string];

/** How the body of a message is delimited on the wire. */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" };

/** A strictly validated HTTP/1.x request head. */
export type RequestHead = {
  method: string;
  target: string;
  version: "HTTP/1.0" | "HTTP/1.1";
  headers: HeaderField[];
  framing: BodyFraming;
  /** The single Host header value, when there is one (required for HTTP/1.1). */
  host: string | undefined;
};

/** Bounds on what a request head may contain. */
export type HeadLimits = { maxHeaderBytes: number; maxHeaders: number };

export const DEFAULT_HEAD_LIMITS: HeadLimits = { maxHeaderBytes: 16 * 1024, maxHeaders: 100 };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TARGET = /^[\x21-\x7e]+$/;
// Field values may hold visible ASCII, spaces, tabs and obs-text, never control characters.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const DIGITS = /^[0-9]+$/;
const MAX_SAFE_LENGTH = Number.MAX_SAFE_INTEGER;

/**
 * Looks for the end of a request head in `buf`. Returns the offset just past the blank line, or
 * -1 when more bytes are needed. Throws as soon as the bytes seen so far are already invalid, so
 * a client cannot park an oversized or malformed head on the gateway.
 */
export function findHeadEnd(buf: Buffer, limits: HeadLimits = DEFAULT_HEAD_LIMITS): number {
  const scan = Math.min(buf.length, limits.maxHeaderBytes);
  for (let i = 0; i < scan; i++) {
    const byte = buf[i];
    if (byte === 0x0d && i + 1 < buf.length && buf[i + 1] !== 0x0a) {
      throw new FramingError("bare-cr", "CR not followed by LF");
    }
    if (byte !== 0x0a) continue;
    if (i === 0 || buf[i - 1] !== 0x0d) {
      throw new FramingError("bare-lf", "line ended with LF without CR");
    }
    if (i >= 3 && buf[i - 2] === 0x0a && buf[i - 3] === 0x0d) return i + 1;
  }
  if (buf.length >= limits.maxHeaderBytes) {
    throw new FramingError("head-too-large", "request head exceeds the size limit");
  }
  return -1;
}

/** Parses a complete head (including its terminating blank line) with no leniency at all. */
export function parseRequestHead(
  raw: Buffer,
  limits: HeadLimits = DEFAULT_HEAD_LIMITS,
): RequestHead {
  const lines = raw.toString("latin1").split("\r\n");
  // A complete head ends with CRLF CRLF, which splits into two trailing empty strings.
  lines.splice(-2, 2);
  const [requestLine, ...fieldLines] = lines;
  if (requestLine === undefined) throw new FramingError("empty", "empty request");
  if (fieldLines.length > limits.maxHeaders) {
    throw new FramingError("too-many-headers", "request has too many header fields");
  }

  const { method, target, version } = parseRequestLine(requestLine);
  const headers = fieldLines.map(parseFieldLine);
  const host = singleHost(headers, version);
  const framing = requestFraming(headers, version);
  return { method, target, version, headers, framing, host };
}

function parseRequestLine(line: string): Pick<RequestHead, "method" | "target" | "version"> {
  const parts = line.split(" ");
  const [method, target, version] = parts;
  if (parts.length !== 3 || method === undefined || target === undefined) {
    throw new FramingError("request-line", "request line must be METHOD SP TARGET SP VERSION");
  }
  if (!TOKEN.test(method)) throw new FramingError("method", "method is not a token");
  if (!TARGET.test(target)) throw new FramingError("target", "request target has invalid bytes");
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") {
    throw new FramingError("version", "only HTTP/1.0 and HTTP/1.1 are accepted", 505);
  }
  return { method, target, version };
}

function parseFieldLine(line: string): HeaderField {
  if (line.startsWith(" ") || line.startsWith("\t")) {
    throw new FramingError("obs-fold", "folded header lines are not accepted");
  }
  const colon = line.indexOf(":");
  if (colon <= 0) throw new FramingError("field-line", "header line without a name and colon");
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) {
    const code = /[ \t]$/.test(name) ? "space-before-colon" : "field-name";
    throw new FramingError(code, "header name is not a token or has whitespace before the colon");
  }
  const value = trimSpaceAndTab(line, colon + 1);
  if (!FIELD_VALUE.test(value)) {
    throw new FramingError("field-value", `header ${name} has control characters in its value`);
  }
  return [name, value];
}

/** Case-insensitive name match; the length test spares a lower-cased copy of most names. */
function named(name: string, lowerName: string): boolean {
  return name.length === lowerName.length && name.toLowerCase() === lowerName;
}

/** The text of `line` from `start`, without leading and trailing spaces and tabs (only those). */
function trimSpaceAndTab(line: string, start: number): string {
  let from = start;
  let to = line.length;
  while (from < to && isSpaceOrTab(line.charCodeAt(from))) from++;
  while (to > from && isSpaceOrTab(line.charCodeAt(to - 1))) to--;
  return line.slice(from, to);
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function valuesOf(headers: readonly HeaderField[], lowerName: string): string[] {
  const values: string[] = [];
  for (const [name, value] of headers) if (named(name, lowerName)) values.push(value);
  return values;
}

function singleHost(headers: readonly HeaderField[], version: string): string | undefined {
  const hosts = valuesOf(headers, "host");
  if (hosts.length > 1) throw new FramingError("multiple-host", "more than one Host header");
  if (hosts.length === 0 && version === "HTTP/1.1") {
    throw new FramingError("missing-host", "HTTP/1.1 request without a Host header");
  }
  return hosts[0];
}

function requestFraming(headers: readonly HeaderField[], version: string): BodyFraming {
  const te = valuesOf(headers, "transfer-encoding");
  const cl = valuesOf(headers, "content-length");
  if (te.length > 0 && cl.length > 0) {
    throw new FramingError("cl-and-te", "both Content-Length and Transfer-Encoding present");
  }
  if (te.length > 0) return chunkedFraming(te, version);
  if (cl.length > 0) return { kind: "length", length: contentLength(cl) };
  return { kind: "none" };
}

function chunkedFraming(te: readonly string[], version: string): BodyFraming {
  if (te.length > 1) throw new FramingError("repeated-te", "Transfer-Encoding repeated");
  if (version === "HTTP/1.0") {
    throw new FramingError("te-http10", "Transfer-Encoding is not defined for HTTP/1.0");
  }
  if (te[0]?.toLowerCase() !== "chunked") {
    throw new FramingError("unknown-te", "only Transfer-Encoding: chunked is accepted");
  }
  return { kind: "chunked" };
}

function contentLength(values: readonly string[]): number {
  const all = values.flatMap((value) => value.split(",").map((part) => part.trim()));
  const first = all[0];
  if (first === undefined || !all.every((value) => DIGITS.test(value))) {
    throw new FramingError("content-length", "Content-Length is not a decimal number");
  }
  if (!all.every((value) => value === first)) {
    throw new FramingError("differing-content-length", "Content-Length values differ");
  }
  const length = Number(first);
  if (!Number.isSafeInteger(length) || length > MAX_SAFE_LENGTH) {
    throw new FramingError("content-length", "Content-Length is too large");
  }
  return length;
}

/** Case-insensitive lookup of the first value of a header. */
export function headerValue(headers: readonly HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of headers) if (named(key, lower)) return value;
  return undefined;
}
