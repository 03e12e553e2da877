/**
 * Hostname rules that need no DNS: metadata service names and loopback names. A name that
 * merely contains an address (`169.254.169.254.nip.io`) is just a name here; only resolving
 * mode, which judges the addresses a name resolves to, can see where it points.
 */

/** A name rule: exact, or also every subdomain when `subdomains` is true. */
interface NameRule {
  readonly name: string;
  readonly subdomains: boolean;
  readonly endpoint: string;
}

const METADATA_NAMES: readonly NameRule[] = [
  { name: "metadata.google.internal", subdomains: true, endpoint: "gcp-metadata" },
  { name: "metadata.goog", subdomains: true, endpoint: "gcp-metadata" },
  { name: "metadata", subdomains: false, endpoint: "gcp-metadata" },
  { name: "instance-data", subdomains: false, endpoint: "aws-imds" },
  { name: "instance-data.ec2.internal", subdomains: false, endpoint: "aws-imds" },
  { name: "metadata.tencentyun.com", subdomains: false, endpoint: "tencent-metadata" },
  { name: "kubernetes", subdomains: false, endpoint: "kubernetes-api" },
  { name: "kubernetes.default", subdomains: false, endpoint: "kubernetes-api" },
  { name: "kubernetes.default.svc", subdomains: false, endpoint: "kubernetes-api" },
];

const LOOPBACK_NAMES: readonly NameRule[] = [
  { name: "localhost", subdomains: true, endpoint: "loopback" },
  { name: "localhost.localdomain", subdomains: false, endpoint: "loopback" },
  { name: "ip6-localhost", subdomains: false, endpoint: "loopback" },
  { name: "ip6-loopback", subdomains: false, endpoint: "loopback" },
];

function matches(rule: NameRule, name: string): boolean {
  return name === rule.name || (rule.subdomains && name.endsWith(`.${rule.name}`));
}

/**
 * The Kubernetes API service is `kubernetes.default.svc` followed by the cluster domain, which
 * each cluster chooses (`cluster.local` by default), so it is matched as a prefix.
 */
const KUBERNETES_SERVICE_PREFIX = "kubernetes.default.svc.";

/** The metadata endpoint a normalised name designates, or null. */
export function metadataName(name: string): string | null {
  if (name.startsWith(KUBERNETES_SERVICE_PREFIX)) return "kubernetes-api";
  return METADATA_NAMES.find((rule) => matches(rule, name))?.endpoint ?? null;
}

/** True for `localhost`, `*.localhost` and the usual loopback aliases of /etc/hosts. */
export function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.some((rule) => matches(rule, name));
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * True for a DNS hostname of letters, digits, hyphens and underscores (after IDNA, so
 * internationalised names arrive as `xn--` labels). Anything else cannot be looked up as a
 * name by a standard resolver, so a parser that accepts it must be reading something else.
 */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}

/** Lowercases and removes trailing dots: `Example.COM.` and `example.com` are one name. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, "");
}
