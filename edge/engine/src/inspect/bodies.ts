import type { Field } from "./fields.ts";
import { parseUrlEncoded } from "./fields.ts";
import { parseMultipart } from "./multipart.ts";
import { latin1 } from "./raw-http.ts";
import { clipEvidence, type Detection } from "./types.ts";
import { parseXmlValues } from "./xml.ts";

/** Which parser read the body. */
export type BodyKind = "none" | "urlencoded" | "json" | "xml" | "multipart" | "text" | "binary";

/** The body as fields, plus the detections its parsing produced. */
export interface BodyParseResult {
  kind: BodyKind;
  text: string;
  fields: Field[];
  detections: Detection[];
}

/*
 * Charsets a text body may declare: UTF-8 and ASCII, and the Latin-1 family that browsers still
 * send for legacy forms (ISO-8859-15 and windows-1252 differ from Latin-1 in a few symbols
 * only, so a Latin-1 reading sees the same markup and SQL the application does).
 */
const TEXT_CHARSETS = new Set([
  "utf-8",
  "utf8",
  "us-ascii",
  "ascii",
  "iso-8859-1",
  "latin1",
  "iso-8859-15",
  "windows-1252",
]);

function bodyAnomaly(id: string, evidence: string): Detection {
  return {
    id,
    category: "protocol",
    location: "body",
    evidence: clipEvidence(evidence),
    severity: "critical",
    action: "block",
  };
}

/** Reads media type and parameters from a Content-Type value. */
export function parseContentType(value: string): { type: string; params: Map<string, string> } {
  const [type = "", ...rest] = value.split(";");
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq > 0)
      params.set(
        p.slice(0, eq).trim().toLowerCase(),
        p
          .slice(eq + 1)
          .trim()
          .replace(/^(["'])(.*)\1$/, "$2"),
      );
  }
  return { type: type.trim().toLowerCase(), params };
}

function chooseKind(type: string): BodyKind {
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return "xml";
  if (type === "multipart/form-data") return "multipart";
  if (type.startsWith("text/") || type === "") return "text";
  return "binary";
}

/** Flattens parsed JSON into fields named by JSONPath; keys become name fields too. */
export function flattenJson(value: unknown, path: string, out: Field[]): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) flattenJson(item, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const child = /^[A-Za-z_$][\w$]*$/.test(key)
        ? `${path}.${key}`
        : `${path}[${JSON.stringify(key)}]`;
      out.push({ kind: "argName", location: `body-name:${child}`, name: key, value: key });
      flattenJson(item, child, out);
    }
  } else if (value !== null && value !== undefined) {
    out.push({ kind: "body", location: `body:${path}`, name: path, value: String(value) });
  }
}

/** Reused: a decode without `stream` starts afresh, even after one that threw. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function decodeText(bytes: Uint8Array, charset: string | undefined, found: Detection[]): string {
  // An empty body cannot be decoded differently, so its declared charset does not matter.
  if (charset !== undefined && bytes.length > 0 && !TEXT_CHARSETS.has(charset.toLowerCase())) {
    found.push(bodyAnomaly("protocol-charset", `unexpected charset ${charset}`));
  }
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    if (charset === undefined || charset.toLowerCase().startsWith("utf")) {
      found.push({
        ...bodyAnomaly("protocol-charset-mismatch", "body is not valid UTF-8"),
        severity: "medium",
      });
    }
    return latin1(bytes);
  }
}

function parseJsonFields(text: string, found: Detection[]): Field[] {
  const fields: Field[] = [];
  try {
    flattenJson(JSON.parse(text), "$", fields);
  } catch {
    found.push(
      bodyAnomaly("protocol-body-parse", "Content-Type says JSON but the body is not JSON"),
    );
    fields.push({ kind: "body", location: "body", name: "body", value: text });
  }
  return fields;
}

/**
 * Parses a body with the parser its Content-Type names. A declared type the body does not
 * match, or an unexpected charset, is itself a detection, because parser confusion between the
 * WAF and the origin is a classic way round a WAF.
 */
export function parseBody(headers: [string, string][], bytes: Uint8Array): BodyParseResult {
  const found: Detection[] = [];
  const ctValues = headers.filter(([n]) => n.toLowerCase() === "content-type").map(([, v]) => v);
  if (ctValues.length > 1)
    found.push(bodyAnomaly("protocol-content-type-repeated", ctValues.join(", ")));
  const { type, params } = parseContentType(ctValues[0] ?? "");
  if (bytes.length === 0) return { kind: "none", text: "", fields: [], detections: found };
  const looksLikeForm =
    type === "" && /^[^=&\s]+=[^\s]*(?:&|$)/.test(latin1(bytes.subarray(0, 256)));
  const kind = looksLikeForm ? "urlencoded" : chooseKind(type);
  // Multipart bodies carry binary files, so only their part structure is read as text.
  const text =
    kind === "multipart" || kind === "binary"
      ? latin1(bytes)
      : decodeText(bytes, params.get("charset"), found);
  let fields: Field[];
  if (kind === "urlencoded") {
    fields = parseUrlEncoded(text).flatMap(([name, value]) => [
      { kind: "body" as const, location: `body:${name}`, name, value },
      { kind: "argName" as const, location: `body-name:${name}`, name, value: name },
    ]);
  } else if (kind === "json") {
    fields = parseJsonFields(text, found);
  } else if (kind === "xml") {
    fields = parseXmlValues(text, found);
  } else if (kind === "multipart") {
    fields = parseMultipart(text, params.get("boundary"), found);
  } else {
    fields = [{ kind: "body", location: "body", name: "body", value: text }];
  }
  return { kind, text, fields, detections: found };
}
