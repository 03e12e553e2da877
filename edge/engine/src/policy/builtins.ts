/** The contents of a built-in address object: prefixes and host name patterns. */
export interface BuiltinObject {
  readonly prefixes: readonly string[];
  readonly hosts: readonly string[];
}

/**
 * Built-in address objects. Their content is fixed by the engine so that no customer edit can
 * weaken the metadata guard; `builtin:cloud-metadata` covers the instance metadata services of
 * AWS (IPv4 and IPv6, ECS task metadata), Azure, GCP, Alibaba and Oracle.
 */
export const BUILTIN_OBJECTS: Readonly<Record<string, BuiltinObject>> = {
  "builtin:cloud-metadata": {
    prefixes: [
      "169.254.169.254/32",
      "169.254.170.2/32",
      "100.100.100.200/32",
      "192.0.0.192/32",
      "fd00:ec2::254/128",
    ],
    hosts: ["metadata.google.internal", "metadata.goog", "metadata.azure.internal"],
  },
  "builtin:loopback": {
    prefixes: ["127.0.0.0/8", "::1/128"],
    hosts: ["localhost", "**.localhost"],
  },
  "builtin:private": {
    prefixes: [
      "10.0.0.0/8",
      "172.16.0.0/12",
      "192.168.0.0/16",
      "100.64.0.0/10",
      "169.254.0.0/16",
      "fc00::/7",
      "fe80::/10",
    ],
    hosts: [],
  },
  "builtin:any": {
    prefixes: ["0.0.0.0/0", "::/0"],
    hosts: [],
  },
};

/** True when the id names a built-in object. */
export function isBuiltinId(id: string): boolean {
  return Object.hasOwn(BUILTIN_OBJECTS, id);
}
