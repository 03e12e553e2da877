import {
  canonicalIp,
  type IpPrefix,
  parseCidr,
  prefixContains,
  tryParseIp,
  unmapIpv4,
} from "@ringfence/engine/net";
import type { SocketReader } from "../http/reader.ts";

/**
 * Which hops may speak for a client. Only connections from these prefixes may carry a PROXY
 * protocol v2 header or an X-Forwarded-For that the gateway believes; everyone else is
 * identified by the socket's own address.
 */
export type TrustedHops = {
  prefixes: IpPrefix[];
  proxyProtocol: boolean;
  forwardedFor: boolean;
};

/** Compiles the configured CIDRs; a malformed entry throws and names itself. */
export function trustedHops(
  cidrs: readonly string[],
  proxyProtocol = false,
  forwardedFor = false,
): TrustedHops {
  return { prefixes: cidrs.map((cidr) => parseCidr(cidr)), proxyProtocol, forwardedFor };
}

/** True when `ip` lies inside a trusted prefix (IPv4-mapped IPv6 counts as its IPv4). */
export function isTrusted(hops: TrustedHops, ip: string): boolean {
  const parsed = tryParseIp(ip);
  if (!parsed) return false;
  const address = unmapIpv4(parsed);
  return hops.prefixes.some((prefix) => prefixContains(prefix, address));
}

/** Canonical text of a socket address: IPv4-mapped IPv6 becomes dotted IPv4. */
export function socketIp(remote: string | undefined): string {
  const text = remote ?? "0.0.0.0";
  return text.startsWith("::ffff:") && text.includes(".") ? text.slice(7) : text;
}

const SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

/** The client address a PROXY v2 header announced; undefined for LOCAL (health checks). */
export type ProxiedSource = { ip: string; port: number } | undefined;

/**
 * Reads a PROXY protocol v2 header from the front of the connection. Throws when the header is
 * missing or malformed: a trusted hop configured for PROXY protocol must always send one.
 */
export async function readProxyV2(reader: SocketReader): Promise<ProxiedSource> {
  while (reader.buffered.length < 16) {
    if (!(await reader.more())) throw new Error("connection closed before the PROXY header");
  }
  const head = reader.buffered;
  if (!head.subarray(0, 12).equals(SIGNATURE)) throw new Error("missing PROXY v2 signature");
  const versionCommand = head[12] ?? 0;
  const family = head[13] ?? 0;
  const length = head.readUInt16BE(14);
  if (versionCommand >> 4 !== 2) throw new Error("unsupported PROXY protocol version");
  while (reader.buffered.length < 16 + length) {
    if (!(await reader.more())) throw new Error("connection closed inside the PROXY header");
  }
  const body = reader.take(16 + length).subarray(16);
  if ((versionCommand & 0x0f) === 0) return undefined;
  return proxiedAddress(family, body);
}

function proxiedAddress(family: number, body: Buffer): ProxiedSource {
  if (family === 0x11 && body.length >= 12) {
    return { ip: [...body.subarray(0, 4)].join("."), port: body.readUInt16BE(8) };
  }
  if (family === 0x21 && body.length >= 36) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(body.readUInt16BE(i).toString(16));
    return { ip: socketIp(canonicalIp(groups.join(":"))), port: body.readUInt16BE(32) };
  }
  throw new Error("unsupported PROXY address family");
}

/**
 * The client behind trusted hops according to X-Forwarded-For: walking from the nearest hop
 * outwards, the first address that is not itself trusted. Malformed entries stop the walk, so
 * the answer is never something a client wrote past a hop that checked it.
 */
export function forwardedClient(
  hops: TrustedHops,
  peer: string,
  header: string | undefined,
): string {
  if (!header || !hops.forwardedFor || !isTrusted(hops, peer)) return peer;
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .reverse();
  let client = peer;
  for (const entry of entries) {
    if (!tryParseIp(entry)) return client;
    client = socketIp(entry);
    if (!isTrusted(hops, client)) return client;
  }
  return client;
}
