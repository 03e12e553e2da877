import { clipEvidence, type Detection, type InspectRequest } from "./types.ts";

/** The result of reading one raw HTTP/1.1 request: the request as far as it could be read. */
export interface RawParseResult {
  request: InspectRequest;
  /** The HTTP version from the request line, e.g. "HTTP/1.1". */
  version: string;
  /** Framing problems, each a `protocol` detection; parsing never throws. */
  detections: Detection[];
}

function framing(id: string, evidence: string, location = "request"): Detection {
  return {
    id,
    category: "protocol",
    location,
    evidence: clipEvidence(evidence),
    severity: "critical",
    action: "block",
  };
}

const ASCII = new TextDecoder("utf-8");

/**
 * Bytes as latin1 characters, one per byte. ASCII, which most bodies are, goes through the
 * native decoder (the same characters either way); other bytes are copied in chunks.
 */
export function latin1(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] ?? 0) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return ASCII.decode(bytes);
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

/** Finds the end of the head; both CRLFCRLF and a bare LFLF end it (the latter is reported). */
function findHeadEnd(text: string): { end: number; bodyStart: number } {
  const crlf = text.indexOf("\r\n\r\n");
  const lf = text.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
  return { end: text.length, bodyStart: text.length };
}

/** Splits the head into lines and reports bare CR and bare LF line endings. */
function splitHeadLines(head: string, detections: Detection[]): string[] {
  if (/\r(?!\n)/.test(head)) detections.push(framing("protocol-bare-cr", "bare CR in head"));
  if (/(^|[^\r])\n/.test(head)) detections.push(framing("protocol-bare-lf", "bare LF in head"));
  return head.split(/\r?\n/);
}

function parseRequestLine(line: string, detections: Detection[]) {
  const parts = line.split(" ");
  if (parts.length !== 3 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(parts[0] ?? "")) {
    detections.push(framing("protocol-request-line", line));
  }
  const version = parts.length >= 3 ? (parts[parts.length - 1] ?? "") : "HTTP/0.9";
  if (!/^HTTP\/1\.[01]$/.test(version)) {
    detections.push(framing("protocol-version", version));
  }
  const method = parts[0] ?? "";
  const target = parts.length >= 3 ? parts.slice(1, -1).join(" ") : (parts[1] ?? "");
  return { method, target, version };
}

function parseHeaderLines(lines: string[], detections: Detection[]): [string, string][] {
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === "") continue;
    if (/^[ \t]/.test(line)) {
      detections.push(framing("protocol-obs-fold", line));
      const last = headers[headers.length - 1];
      if (last) last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      detections.push(framing("protocol-header-syntax", line));
      continue;
    }
    const rawName = line.slice(0, colon);
    if (/[ \t]$/.test(rawName)) detections.push(framing("protocol-space-before-colon", line));
    const name = rawName.trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      detections.push(framing("protocol-header-name", name));
    }
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** Decodes a chunked body; a malformed size line is a framing problem and stops decoding. */
export function decodeChunked(bytes: Uint8Array, detections: Detection[]): Uint8Array {
  const text = latin1(bytes);
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf("\r\n", pos);
    const sizeLine = eol < 0 ? text.slice(pos) : text.slice(pos, eol);
    const sizeText = sizeLine.split(";")[0] ?? "";
    if (eol < 0 || !/^[0-9A-Fa-f]{1,8}$/.test(sizeText)) {
      detections.push(framing("protocol-chunk-size", sizeLine, "body"));
      break;
    }
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) break;
    const start = eol + 2;
    if (start + size > bytes.length || text.slice(start + size, start + size + 2) !== "\r\n") {
      detections.push(framing("protocol-chunk-length", sizeLine, "body"));
      parts.push(bytes.subarray(start, Math.min(bytes.length, start + size)));
      break;
    }
    parts.push(bytes.subarray(start, start + size));
    pos = start + size + 2;
  }
  return concatBytes(parts);
}

/** Joins byte arrays into one. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function frameBody(
  headers: [string, string][],
  rest: Uint8Array,
  detections: Detection[],
): Uint8Array {
  const lengths = headers.filter(([n]) => n.toLowerCase() === "content-length").map(([, v]) => v);
  const codings = headers
    .filter(([n]) => n.toLowerCase() === "transfer-encoding")
    .map(([, v]) => v);
  if (lengths.length > 0 && codings.length > 0) {
    detections.push(framing("protocol-cl-te", "Content-Length with Transfer-Encoding"));
  }
  if (codings.length > 0) {
    const chunked = codings
      .join(",")
      .toLowerCase()
      .split(",")
      .map((s) => s.trim());
    if (chunked[chunked.length - 1] !== "chunked" || chunked.length > 1) {
      detections.push(framing("protocol-transfer-encoding", codings.join(",")));
    }
    return decodeChunked(rest, detections);
  }
  if (lengths.length === 0) return rest;
  if (new Set(lengths).size > 1 || !/^\d{1,15}$/.test(lengths[0] ?? "")) {
    detections.push(framing("protocol-content-length", lengths.join(",")));
    return rest;
  }
  const declared = Number(lengths[0]);
  if (declared !== rest.length) {
    detections.push(
      framing("protocol-content-length-mismatch", `declared ${declared}, got ${rest.length}`),
    );
  }
  return rest.subarray(0, Math.min(declared, rest.length));
}

/**
 * Parses one raw HTTP/1.1 request (as captured in a file) without throwing: every framing
 * problem the gateway would refuse with 400 (CL+TE, bare LF/CR, obs-fold, whitespace before a
 * colon, bad chunk sizes, bad Content-Length) becomes a `protocol` detection.
 */
export function parseRawRequest(bytes: Uint8Array): RawParseResult {
  const detections: Detection[] = [];
  const text = latin1(bytes);
  const { end, bodyStart } = findHeadEnd(text);
  if (end === text.length) detections.push(framing("protocol-incomplete-head", "no end of head"));
  const lines = splitHeadLines(text.slice(0, end), detections);
  const { method, target, version } = parseRequestLine(lines[0] ?? "", detections);
  const headers = parseHeaderLines(lines.slice(1), detections);
  const body = frameBody(headers, bytes.subarray(bodyStart), detections);
  return { request: { method, target, headers, body }, version, detections };
}
