/**
 * Address tables: the non-global ranges of the IANA IPv4 and IPv6 special-purpose registries
 * (plus multicast and reserved space), and the cloud metadata endpoints, which are blocked even
 * when an allowlist would open their range. docs/engine/ssrf.md lists the sources.
 */
import { formatIpv4, parseIpv4Whatwg } from "./ipv4.ts";
import { formatIpv6, parseIpv6 } from "./ipv6.ts";
import type { AddressCategory } from "./types.ts";

/** A numeric address: 32 bits for IPv4, 128 bits for IPv6. */
export interface Ip {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** A prefix in numeric form, with its shift precomputed for one-step containment tests. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly length: number;
  readonly shift: bigint;
  readonly top: bigint;
}

/** Builds a prefix from its network address and length. */
export function makeCidr(family: 4 | 6, network: bigint, length: number): Cidr {
  const shift = BigInt((family === 4 ? 32 : 128) - length);
  return { family, length, shift, top: network >> shift };
}

/** Parses one table entry written in this file; a typo here is a programming error. */
function tableCidr(text: string): Cidr {
  const [address = "", length = ""] = text.split("/");
  const ip = parseTableIp(address);
  return makeCidr(ip.family, ip.value, Number(length));
}

function parseTableIp(text: string): Ip {
  const value = text.includes(":") ? parseIpv6(text) : parseIpv4Whatwg(text);
  if (value === null) throw new Error(`SSRF table entry "${text}" is not an address`);
  return { family: text.includes(":") ? 6 : 4, value };
}

/** True when the prefix contains the address (same family only). */
export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  return cidr.family === ip.family && ip.value >> cidr.shift === cidr.top;
}

/** Most specific first, so 0.0.0.0/32 reads as unspecified rather than this-network. */
const IPV4_RANGES: ReadonlyArray<readonly [string, AddressCategory]> = [
  ["0.0.0.0/32", "unspecified"],
  ["0.0.0.0/8", "this-network"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "ietf-protocol"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "reserved"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
];

/** IPv6 ranges that carry an IPv4 are judged by that IPv4 before this table is consulted. */
const IPV6_RANGES: ReadonlyArray<readonly [string, AddressCategory]> = [
  ["::/128", "unspecified"],
  ["::1/128", "loopback"],
  ["100::/64", "discard"],
  ["2001:db8::/32", "documentation"],
  ["2001::/23", "ietf-protocol"],
  ["3fff::/20", "documentation"],
  ["5f00::/16", "reserved"],
  ["fc00::/7", "unique-local"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["ff00::/8", "multicast"],
];

const compile = (rows: ReadonlyArray<readonly [string, AddressCategory]>) =>
  rows.map(([text, category]) => ({ cidr: tableCidr(text), category }));

const V4_TABLE = compile(IPV4_RANGES);
const V6_TABLE = compile(IPV6_RANGES);
const GLOBAL_UNICAST_V6 = tableCidr("2000::/3");

/**
 * The category of a non-global address, or null for global unicast. IPv6 outside 2000::/3 is
 * unassigned by IANA and reads as reserved.
 */
export function classifyAddress(ip: Ip): AddressCategory | null {
  const table = ip.family === 4 ? V4_TABLE : V6_TABLE;
  const row = table.find(({ cidr }) => cidrContains(cidr, ip));
  if (row) return row.category;
  if (ip.family === 6 && !cidrContains(GLOBAL_UNICAST_V6, ip)) return "reserved";
  return null;
}

/**
 * Cloud metadata and credential endpoints by address. 169.254.169.254 serves AWS, Azure, GCP,
 * Oracle, OpenStack, DigitalOcean, Hetzner, IBM and others, hence its generic label.
 */
const METADATA_ADDRESSES: ReadonlyArray<readonly [string, string]> = [
  ["169.254.169.254", "instance-metadata"],
  ["169.254.170.2", "aws-ecs-credentials"],
  ["169.254.170.23", "aws-eks-pod-identity"],
  ["168.63.129.16", "azure-wireserver"],
  ["192.0.0.192", "oracle-metadata"],
  ["100.100.100.200", "alibaba-metadata"],
  ["169.254.0.23", "tencent-metadata"],
  ["fd00:ec2::254", "aws-imds"],
  ["fd00:ec2::23", "aws-eks-pod-identity"],
  ["fd20:ce::254", "gcp-metadata"],
  ["fe80::a9fe:a9fe", "openstack-metadata"],
];

const METADATA_TABLE = METADATA_ADDRESSES.map(([text, endpoint]) => ({
  ip: parseTableIp(text),
  endpoint,
}));

/** The metadata endpoint label of an address, or null. */
export function metadataEndpoint(ip: Ip): string | null {
  const row = METADATA_TABLE.find((entry) => sameIp(entry.ip, ip));
  return row ? row.endpoint : null;
}

export function sameIp(a: Ip, b: Ip): boolean {
  return a.family === b.family && a.value === b.value;
}

/** Canonical text of an address. */
export function formatAddress(ip: Ip): string {
  return ip.family === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}
