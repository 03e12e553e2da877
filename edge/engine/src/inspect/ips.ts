import { z } from "zod";
import { type IpPrefix, parseCidr, prefixContains, tryParseIp } from "../net/index.ts";
import { AhoCorasick } from "./aho-corasick.ts";
import { type CustomPattern, compileCustomPattern, findAll } from "./patterns.ts";
import { latin1 } from "./raw-http.ts";
import {
  clipEvidence,
  type Detection,
  type InspectRequest,
  type InspectResponse,
} from "./types.ts";

/** Where a signature looks. */
export const IPS_BUFFERS = [
  "request-line",
  "uri",
  "request-headers",
  "request-body",
  "response-status",
  "response-headers",
  "response-body",
] as const;
type IpsBuffer = (typeof IPS_BUFFERS)[number];

export const contentMatchSchema = z.object({
  match: z.string().min(1),
  nocase: z.boolean().default(false),
  offset: z.number().int().min(0).default(0),
  depth: z.number().int().min(1).optional(),
});

export const signatureSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  cve: z.string().optional(),
  buffer: z.enum(IPS_BUFFERS),
  contents: z.array(contentMatchSchema).default([]),
  regex: z.string().optional(),
  nocase: z.boolean().default(false),
  severity: z.enum(["low", "medium", "high", "critical"]).default("high"),
  action: z.enum(["log", "block"]).default("block"),
});
export type Signature = z.infer<typeof signatureSchema>;

export const suppressionSchema = z.object({ signature: z.string(), source: z.string().optional() });

interface CompiledSignature {
  signature: Signature;
  regex: CustomPattern | undefined;
}

/**
 * The prefilter of one buffer: the first contents of the signatures that read it. A few
 * literals are searched one by one with case-insensitive literal patterns, which skip through a
 * long body several times faster than an automaton walks it char by char; more take one
 * Aho–Corasick pass. Both find a superset of what the contents check accepts.
 */
interface BufferPrefilter {
  /** The signature index each literal stands for, in literal order. */
  signatures: number[];
  search: AhoCorasick | RegExp[];
}

/** At most this many literals in a buffer are searched one pattern each. */
const SEPARATE_LITERALS = 4;

/** Signatures ready to run, with a prefilter per buffer over each one's first content. */
export interface CompiledIps {
  signatures: CompiledSignature[];
  prefilters: Map<IpsBuffer, BufferPrefilter>;
  suppressions: { signature: string; prefix: IpPrefix | undefined }[];
}

function prefiltersOf(signatures: Signature[]): CompiledIps["prefilters"] {
  const literals = new Map<IpsBuffer, { texts: string[]; indexes: number[] }>();
  for (const [index, signature] of signatures.entries()) {
    const first = signature.contents[0]?.match;
    if (first === undefined) continue;
    const entry = literals.get(signature.buffer) ?? { texts: [], indexes: [] };
    entry.texts.push(first.toLowerCase());
    entry.indexes.push(index);
    literals.set(signature.buffer, entry);
  }
  const prefilters: CompiledIps["prefilters"] = new Map();
  for (const [buffer, { texts, indexes }] of literals) {
    const search =
      texts.length <= SEPARATE_LITERALS
        ? texts.map((text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"))
        : new AhoCorasick(texts, { caseInsensitive: true });
    prefilters.set(buffer, { signatures: indexes, search });
  }
  return prefilters;
}

/** Adds to `found` the signatures whose first content may occur in `text`. */
function prefilter(filter: BufferPrefilter, text: string, found: Set<number>): void {
  if (text === "") return;
  if (Array.isArray(filter.search)) {
    for (const [n, pattern] of filter.search.entries()) {
      if (pattern.test(text)) found.add(filter.signatures[n] ?? -1);
    }
    return;
  }
  for (const n of filter.search.matchSet(text)) found.add(filter.signatures[n] ?? -1);
}

/** Compiles signatures; customer regexes pass the linear-time validation here (at save time). */
export function compileIps(
  signatures: Signature[],
  suppressions: z.infer<typeof suppressionSchema>[],
): CompiledIps {
  const compiled = signatures.map((signature) => ({
    signature,
    regex: signature.regex ? compileCustomPattern(signature.regex, signature.nocase) : undefined,
  }));
  return {
    signatures: compiled,
    prefilters: prefiltersOf(signatures),
    suppressions: suppressions.map((s) => ({
      signature: s.signature,
      prefix: s.source ? parseCidr(s.source) : undefined,
    })),
  };
}

function contentMatches(text: string, c: z.infer<typeof contentMatchSchema>): boolean {
  const end = c.depth === undefined ? text.length : c.offset + c.depth;
  const window = text.slice(c.offset, end);
  return c.nocase ? window.toLowerCase().includes(c.match.toLowerCase()) : window.includes(c.match);
}

/** How much of a body the IPS reads: its first MiB. */
export const IPS_BODY_REACH = 1 << 20;

/**
 * The text of each buffer, made on first use: only the buffers some signature reads are built
 * (a response body's Latin-1 copy, up to IPS_BODY_REACH, is not made for signatures that never
 * look at it).
 */
function buffers(
  request: InspectRequest,
  response: InspectResponse | undefined,
  requestBody: string | undefined,
): (buffer: IpsBuffer) => string {
  const headerText = (h: [string, string][]) => h.map(([n, v]) => `${n}: ${v}`).join("\r\n");
  const make: Record<IpsBuffer, () => string> = {
    "request-line": () => `${request.method} ${request.target}`,
    uri: () => request.target,
    "request-headers": () => headerText(request.headers),
    "request-body": () => requestBody ?? latin1(request.body.subarray(0, IPS_BODY_REACH)),
    "response-status": () => (response ? String(response.status) : ""),
    "response-headers": () => (response ? headerText(response.headers) : ""),
    "response-body": () => (response ? latin1(response.body.subarray(0, IPS_BODY_REACH)) : ""),
  };
  const made = new Map<IpsBuffer, string>();
  return (buffer) => {
    let text = made.get(buffer);
    if (text === undefined) {
      text = make[buffer]();
      made.set(buffer, text);
    }
    return text;
  };
}

function suppressed(ips: CompiledIps, id: string, source: string | undefined): boolean {
  const address = source ? tryParseIp(source) : undefined;
  return ips.suppressions.some(
    (s) =>
      s.signature === id &&
      (!s.prefix || (address !== undefined && prefixContains(s.prefix, address))),
  );
}

/**
 * Runs the signatures over a request (and response, when given). `requestBody` is the Latin-1
 * text of the body's first IPS_BODY_REACH bytes when the caller has already decoded it.
 */
export function runIps(
  ips: CompiledIps,
  request: InspectRequest,
  response?: InspectResponse,
  requestBody?: string,
): Detection[] {
  const texts = buffers(request, response, requestBody);
  // Each buffer is searched on its own, and only for the signatures that read it.
  const candidates = new Set<number>();
  for (const [buffer, filter] of ips.prefilters) prefilter(filter, texts(buffer), candidates);
  const found: Detection[] = [];
  ips.signatures.forEach(({ signature, regex }, index) => {
    if (signature.contents.length > 0 && !candidates.has(index)) return;
    const text = texts(signature.buffer);
    if (text === "" || !signature.contents.every((c) => contentMatches(text, c))) return;
    const match = regex ? findAll(regex, text).matches[0] : undefined;
    if (regex && !match) return;
    if (suppressed(ips, signature.id, request.sourceIp)) return;
    const evidence = match?.text ?? signature.contents[0]?.match ?? signature.name;
    found.push({
      id: signature.id,
      category: "ips",
      location: signature.buffer,
      evidence: clipEvidence(`${signature.cve ?? signature.name}: ${evidence}`),
      severity: signature.severity,
      action: signature.action,
    });
  });
  return found;
}
