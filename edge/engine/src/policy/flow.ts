import { formatIp, type IpAddress, NetParseError, parseIpResult, unmapIpv4 } from "../net/index.ts";
import { normalizeHost } from "./hosts.ts";
import { dotSegmentOf, normalizePath } from "./path.ts";
import { isS3PathStyleHost } from "./services.ts";

/** A connection or request to decide on, as a gateway or worker sees it. */
export interface Flow {
  readonly srcIp: string;
  /** Host header or CONNECT authority host, without the port. */
  readonly dstHost?: string;
  /** The address the enforcer connects to (or was connected to). */
  readonly dstIp?: string;
  readonly dstPort: number;
  /** TLS server name indication. */
  readonly sni?: string;
  /**
   * Request path (with query) exactly as sent, never pre-normalised; proxy mode only. The
   * engine decodes unreserved escapes and removes dot segments before matching (see
   * normalizePath), so `/corp%2Ddata/` and `/x/../corp-data/` reach the same rules as
   * `/corp-data/`, except in a path-style S3 request: there a dot segment refuses the flow.
   */
  readonly path?: string;
  readonly method?: string;
}

/** Thrown when a flow cannot be decided on because a field is malformed. */
export class FlowError extends Error {
  override readonly name = "FlowError";

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid flow ${field}: ${reason}`);
  }
}

/** A flow in the form matching works on. */
export interface NormalizedFlow {
  readonly src: IpAddress;
  readonly dst: IpAddress | undefined;
  readonly dstText: string | undefined;
  readonly port: number;
  /**
   * Distinct destination names (Host first, then SNI). Every name must satisfy a host-based
   * destination, so a Host that disagrees with the SNI cannot ride on an allowed SNI.
   */
  readonly names: readonly string[];
  /**
   * The request path after normalizePath; for a path-style S3 request with dot segments
   * kept, so the bucket is the first raw segment, as S3 reads it.
   */
  readonly path: string | undefined;
  /**
   * Why the flow is denied before any rule is looked at, when it is: a path-style S3 request
   * whose path has a dot segment, whose bucket this engine will not guess at.
   */
  readonly refused: string | undefined;
}

/**
 * S3 reads a path-style bucket from the raw first path segment and never resolves dot
 * segments, while other parts of the chain (clients, proxies, URL parsers) may. A path such
 * as `/other/%2E%2E/corp-data/key` is therefore one bucket to one reader and another to the
 * next, so it is refused rather than read either way.
 */
function s3DotSegment(path: string): string | undefined {
  const segment = dotSegmentOf(path);
  if (segment === undefined) return undefined;
  return `path: dot segment "${segment}" in a path-style S3 request; S3 takes the bucket from the first raw segment and does not resolve dot segments, so the bucket is ambiguous`;
}

function address(field: string, text: string): IpAddress {
  const parsed = parseIpResult(text);
  if (parsed instanceof NetParseError) throw new FlowError(field, parsed.reason);
  return unmapIpv4(parsed);
}

/** Only strings made of digits, dots, hex and colons can be address literals. */
const LITERAL_SHAPE = /^\[?[0-9a-fA-F.:]+\]?$/;

function literal(host: string): IpAddress | undefined {
  if (!LITERAL_SHAPE.test(host)) return undefined;
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const parsed = parseIpResult(bare);
  return parsed instanceof NetParseError ? undefined : unmapIpv4(parsed);
}

/** Validates and normalises a flow; throws FlowError naming the bad field. */
export function normalizeFlow(flow: Flow): NormalizedFlow {
  if (typeof flow !== "object" || flow === null) throw new FlowError("flow", "not an object");
  if (typeof flow.srcIp !== "string") throw new FlowError("srcIp", "missing");
  const port = flow.dstPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new FlowError("dstPort", "not an integer 0-65535");

  const src = address("srcIp", flow.srcIp);
  let dst = flow.dstIp === undefined ? undefined : address("dstIp", flow.dstIp);
  const names: string[] = [];
  for (const [field, value] of [
    ["dstHost", flow.dstHost],
    ["sni", flow.sni],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== "string") throw new FlowError(field, "not a string");
    const ip = literal(value);
    if (ip) {
      dst ??= ip;
      continue;
    }
    const name = normalizeHost(value);
    if (!names.includes(name)) names.push(name);
  }
  const raw = flow.path;
  if (raw !== undefined && typeof raw !== "string") throw new FlowError("path", "not a string");
  const s3 = raw !== undefined && names.some(isS3PathStyleHost);
  const refused = s3 ? s3DotSegment(raw) : undefined;
  const path = raw === undefined ? undefined : normalizePath(raw, s3 ? "keep" : "remove");
  return { src, dst, dstText: dst ? formatIp(dst) : undefined, port, names, path, refused };
}
