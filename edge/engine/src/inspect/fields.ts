import { type BodyParseResult, parseBody } from "./bodies.ts";
import { normalizePath, urlDecode } from "./transforms.ts";
import { clipEvidence, type Detection, type InspectRequest } from "./types.ts";

/** Where a value came from; rules choose the kinds they read. */
export type FieldKind = "path" | "arg" | "argName" | "header" | "cookie" | "cookieName" | "body";

/** One named value of the request, decoded once, with the location used in detections. */
export interface Field {
  kind: FieldKind;
  location: string;
  name: string;
  value: string;
}

/** The parsed request: fields for rules plus the detections that parsing itself produced. */
export interface RequestModel {
  method: string;
  target: string;
  path: string;
  rawPath: string;
  query: string;
  headers: [string, string][];
  fields: Field[];
  body: BodyParseResult;
  detections: Detection[];
}

function anomaly(id: string, location: string, evidence: string, severity: Detection["severity"]) {
  return {
    id,
    category: "protocol",
    location,
    evidence: clipEvidence(evidence),
    severity,
    action: "block",
  } satisfies Detection;
}

/** Splits `a=1&b=2` into decoded pairs; names without `=` get an empty value. */
export function parseUrlEncoded(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([urlDecode(name, true), urlDecode(value, true)]);
  }
  return pairs;
}

/** Splits a Cookie header into name/value pairs. */
export function parseCookies(header: string): [string, string][] {
  return header
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c !== "")
    .map((c) => {
      const eq = c.indexOf("=");
      return eq < 0 ? ["", c] : [c.slice(0, eq).trim(), urlDecode(c.slice(eq + 1).trim())];
    });
}

function splitTarget(target: string): { rawPath: string; query: string } {
  let rest = target;
  const absolute = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(rest);
  if (absolute) rest = rest.slice(absolute[0].length) || "/";
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  return q < 0
    ? { rawPath: rest, query: "" }
    : { rawPath: rest.slice(0, q), query: rest.slice(q + 1) };
}

function argFields(pairs: [string, string][], prefix: string, kind: "arg" | "body"): Field[] {
  const fields: Field[] = [];
  for (const [name, value] of pairs) {
    fields.push({ kind, location: `${prefix}:${name}`, name, value });
    fields.push({ kind: "argName", location: `${prefix}-name:${name}`, name, value: name });
  }
  return fields;
}

function headerFields(headers: [string, string][]): Field[] {
  const fields: Field[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === "cookie") {
      for (const [cn, cv] of parseCookies(value)) {
        fields.push({ kind: "cookie", location: `cookie:${cn}`, name: cn, value: cv });
        if (cn)
          fields.push({ kind: "cookieName", location: `cookie-name:${cn}`, name: cn, value: cn });
      }
      continue;
    }
    fields.push({ kind: "header", location: `header:${lower}`, name: lower, value });
  }
  return fields;
}

/*
 * An encoded separator matters when it hides a dot segment from a proxy that does not decode it
 * (`..%2F`, `%2F..`) or is a backslash, which some servers read as a separator. An encoded `/`
 * inside an ordinary segment (`/files/a%2Fb`, an S3 key or an embedded URL) names one segment.
 */
const HIDDEN_SEPARATOR = /%5c|(?:^|[/]|%2f)(?:\.|%2e){1,2}%2f|%2f(?:\.|%2e){1,2}(?:[/?;]|%2f|$)/i;

function pathDetections(rawPath: string, decoded: string): Detection[] {
  const found: Detection[] = [];
  if (HIDDEN_SEPARATOR.test(rawPath)) {
    found.push(anomaly("path-encoded-separator", "path", rawPath, "medium"));
  }
  if (/\0/.test(decoded) || /%00/.test(rawPath)) {
    found.push(anomaly("path-null-byte", "path", rawPath, "critical"));
  }
  return found;
}

/**
 * Builds the request model: the path normalised, the query and the body parsed into named
 * arguments (the parser chosen from Content-Type), headers and cookies as fields.
 */
export function buildRequestModel(request: InspectRequest): RequestModel {
  const { rawPath, query } = splitTarget(request.target);
  const norm = normalizePath(rawPath);
  const body = parseBody(request.headers, request.body);
  const fields: Field[] = [
    { kind: "path", location: "path", name: "path", value: norm.decoded },
    ...argFields(parseUrlEncoded(query), "args", "arg"),
    ...headerFields(request.headers),
    ...body.fields,
  ];
  return {
    method: request.method,
    target: request.target,
    path: norm.path,
    rawPath,
    query,
    headers: request.headers,
    fields,
    body,
    detections: [...pathDetections(rawPath, norm.decoded), ...body.detections],
  };
}
