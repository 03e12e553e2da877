import type { Asset } from "@ringfence/engine/documents";

type Json = Record<string, unknown>;
type Attributes = Asset["attributes"];

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const arr = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const last = (url: unknown): string | undefined => str(url)?.split("/").pop();
const labels = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((value ?? {}) as Json).filter(([, v]) => typeof v === "string"),
  ) as Record<string, string>;

function compact(values: Record<string, string | string[] | undefined>): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0))
      continue;
    out[name] = value;
  }
  return out;
}

/** The region of a zone (`us-central1-a` → `us-central1`). */
const regionOfZone = (zone: string): string => zone.replace(/-[a-z]$/, "");

/** Operating-system family and image from the boot disk's licence, e.g. `debian-12-bookworm`. */
export function osFromLicenses(licenses: string[]): { os?: string; image?: string } {
  const image = licenses.map((url) => url.split("/").pop() ?? "").find(Boolean);
  if (!image) return {};
  if (/windows/i.test(image)) return { os: "windows", image };
  if (/debian|ubuntu|rhel|centos|rocky|sles|suse|cos|fedora|almalinux|oracle/i.test(image)) {
    return { os: "linux", image };
  }
  return { image };
}

function base(project: string, kind: string, item: Json, region: string) {
  const id = str(item.selfLink) ?? `projects/${project}/${kind}/${str(item.name)}`;
  return {
    id: id.replace(/^https?:\/\/[^/]+\/compute\/v1\//, ""),
    provider: "gcp" as const,
    kind,
    account: project,
    region,
    name: str(item.name) ?? id,
    tags: labels(item.labels),
  };
}

const none = { private: [], public: [] };

export function networkAsset(project: string, network: Json): Asset {
  return {
    ...base(project, "vpc", network, "global"),
    addresses: none,
    attributes: compact({ network: str(network.name), project }),
  };
}

export function subnetAsset(project: string, subnet: Json): Asset {
  return {
    ...base(project, "subnet", subnet, last(subnet.region) ?? "global"),
    addresses: none,
    attributes: compact({
      network: last(subnet.network),
      subnet: str(subnet.name),
      cidr: str(subnet.ipCidrRange),
      project,
    }),
  };
}

export function instanceAsset(project: string, instance: Json): Asset {
  const zone = last(instance.zone) ?? "unknown";
  const nics = arr(instance.networkInterfaces);
  const boot = arr(instance.disks).find((disk) => disk.boot === true);
  const { os, image } = osFromLicenses(arr(boot?.licenses).map(String));
  const networkTags = Array.isArray((instance.tags as Json | undefined)?.items)
    ? ((instance.tags as Json).items as string[])
    : [];
  return {
    ...base(project, "instance", instance, regionOfZone(zone)),
    zone,
    ...(str(instance.status) ? { state: String(instance.status).toLowerCase() } : {}),
    addresses: {
      private: nics.flatMap((nic) => str(nic.networkIP) ?? []),
      public: nics.flatMap((nic) =>
        arr(nic.accessConfigs).flatMap((config) => str(config.natIP) ?? []),
      ),
    },
    attributes: compact({
      instance_id: str(instance.id),
      instance_type: last(instance.machineType),
      network: last(nics[0]?.network),
      subnet: last(nics[0]?.subnetwork),
      os,
      image,
      network_tags: networkTags,
      project,
    }),
  };
}

export function firewallAsset(project: string, rule: Json): Asset {
  return {
    ...base(project, "firewall_rule", rule, "global"),
    addresses: none,
    attributes: compact({
      network: last(rule.network),
      direction: str(rule.direction),
      source_ranges: arr(rule.sourceRanges).map(String),
      target_tags: arr(rule.targetTags).map(String),
      project,
    }),
  };
}

export function bucketAsset(project: string, bucket: Json): Asset {
  const iam = (bucket.iamConfiguration ?? {}) as Json;
  const name = str(bucket.name) ?? "";
  return {
    id: `storage/b/${name}`,
    provider: "gcp",
    kind: "bucket",
    account: project,
    region: (str(bucket.location) ?? "unknown").toLowerCase(),
    name,
    addresses: none,
    tags: labels(bucket.labels),
    attributes: compact({
      project,
      "access.public_prevention": str(iam.publicAccessPrevention) ?? "inherited",
    }),
  };
}
