/**
 * `gcloud compute instances list --format=json`. Zones, networks and machine types arrive as
 * resource URLs; the last path segment is the name and the project is read from the URL.
 */
import type { Asset } from "../documents/index.ts";
import { attributes, type ParseContext, UNKNOWN, unique } from "./asset.ts";
import type { Reader } from "./reader.ts";

/** The segment after `key` in a GCP resource URL (`…/projects/acme/zones/us-central1-a`). */
function urlPart(url: string | undefined, key: string): string | undefined {
  const parts = url?.split("/") ?? [];
  const index = parts.indexOf(key);
  return index >= 0 ? parts[index + 1] || undefined : undefined;
}

const lastSegment = (url: string | undefined) => url?.split("/").pop() || undefined;

function gcpInstance(item: Reader, context: ParseContext): Asset {
  const name = item.object().at("name").string();
  const record = item.inRecord(name);
  const zoneUrl = record.at("zone").string();
  const zone = lastSegment(zoneUrl) ?? UNKNOWN;
  const project = urlPart(zoneUrl, "projects") ?? context.account ?? UNKNOWN;
  const nics = record.at("networkInterfaces").list(true);
  const natIps = nics.flatMap((nic) =>
    nic
      .at("accessConfigs")
      .list(true)
      .map((config) => config.at("natIP").optionalIp(4)),
  );
  const licenses = record
    .at("disks")
    .list(true)
    .flatMap((disk) =>
      disk
        .at("licenses")
        .list(true)
        .map((l) => lastSegment(l.string())),
    );

  return {
    id: `projects/${project}/zones/${zone}/instances/${name}`,
    provider: "gcp",
    kind: "instance",
    account: project,
    region: zone.replace(/-[a-z]$/, ""),
    zone,
    state: record.at("status").optionalString(),
    name,
    addresses: {
      private: unique(nics.map((nic) => nic.at("networkIP").optionalIp(4))),
      public: unique(natIps),
    },
    attributes: attributes({
      instance_id: record.at("id").optionalString(),
      instance_type: lastSegment(record.at("machineType").optionalString()),
      project,
      network: unique(nics.map((nic) => lastSegment(nic.at("network").optionalString())))[0],
      subnet: unique(nics.map((nic) => lastSegment(nic.at("subnetwork").optionalString())))[0],
      network_tags: record
        .at("tags")
        .at("items")
        .list(true)
        .map((tag) => tag.string()),
      image: unique(licenses),
      os: licenses.some((license) => license?.includes("windows")) ? "windows" : "linux",
    }),
    tags: record.at("labels").stringMap(),
  };
}

/** Parses `gcloud compute instances list --format=json`. */
export function parseGcpInstances(root: Reader, context: ParseContext): Asset[] {
  return root.list().map((item) => gcpInstance(item, context));
}
