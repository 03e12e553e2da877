import type { Field } from "./fields.ts";
import { clipEvidence, type Detection } from "./types.ts";

function partAnomaly(id: string, evidence: string): Detection {
  return {
    id,
    category: "protocol",
    location: "body",
    evidence: clipEvidence(evidence),
    severity: "critical",
    action: "block",
  };
}

function dispositionParam(header: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, "i").exec(header);
  return match ? (match[1] ?? match[2] ?? "").trim() : undefined;
}

/*
 * A part may declare its own charset. The ones a browser form produces are UTF-8 and the
 * Latin-1 family; anything else (UTF-7, UTF-16/32, Shift-JIS, EUC) decodes differently in the
 * application than in the WAF, which is how markup such as `+ADw-script+AD4-` slips past.
 */
const PART_CHARSETS = new Set(["utf-8", "us-ascii", "iso-8859-1", "iso-8859-15", "windows-1252"]);

function checkPartCharset(contentType: string, found: Detection[]): void {
  const charset = dispositionParam(contentType, "charset")?.toLowerCase();
  if (charset !== undefined && !PART_CHARSETS.has(charset)) {
    found.push(partAnomaly("protocol-multipart-charset", `charset=${charset}`));
  }
}

function readPart(part: string, index: number, found: Detection[]): Field[] {
  // Browsers send CRLF, but many clients and the servers that parse their bodies accept bare
  // LF as well; treating LF-only parts as one long header line flagged ordinary uploads.
  const blank = /\r?\n\r?\n/.exec(part);
  const head = blank ? part.slice(0, blank.index) : part;
  const content = blank ? part.slice(blank.index + blank[0].length).replace(/\r?\n$/, "") : "";
  const fields: Field[] = [];
  let name = `part${index}`;
  for (const line of head.split(/\r?\n/).filter((l) => l !== "")) {
    // Part headers outside printable ASCII are how parser differentials are usually started.
    if (/[^\x20-\x7e\t]/.test(line)) found.push(partAnomaly("protocol-multipart-header", line));
    const colon = line.indexOf(":");
    const headerName = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    fields.push({
      kind: "header",
      location: `body:part-header:${headerName}`,
      name: headerName,
      value,
    });
    if (headerName === "content-type") checkPartCharset(value, found);
    if (headerName !== "content-disposition") continue;
    name = dispositionParam(value, "name") ?? name;
    const filename = dispositionParam(value, "filename");
    if (filename !== undefined) {
      fields.push({ kind: "body", location: `file:${name}`, name, value: filename });
    }
  }
  fields.push({ kind: "body", location: `body:${name}`, name, value: content });
  fields.push({ kind: "argName", location: `body-name:${name}`, name, value: name });
  return fields;
}

/** Splits a multipart/form-data body into named fields; framing errors become detections. */
export function parseMultipart(
  text: string,
  boundary: string | undefined,
  found: Detection[],
): Field[] {
  if (!boundary || !/^[0-9A-Za-z'()+_,./:=? -]{1,70}$/.test(boundary)) {
    found.push(partAnomaly("protocol-multipart-boundary", boundary ?? "missing boundary"));
    return [{ kind: "body", location: "body", name: "body", value: text }];
  }
  const delimiter = `--${boundary}`;
  const pieces = text.split(delimiter);
  const last = pieces[pieces.length - 1] ?? "";
  // A body made of the closing delimiter alone is an empty form, which is well formed.
  if (pieces.length < 2 || !last.startsWith("--")) {
    found.push(partAnomaly("protocol-multipart-unterminated", "missing closing boundary"));
  }
  const fields: Field[] = [];
  pieces.slice(1).forEach((piece, i) => {
    if (piece.startsWith("--")) return;
    fields.push(...readPart(piece.replace(/^\r?\n/, ""), i, found));
  });
  return fields;
}
