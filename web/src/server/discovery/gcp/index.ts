import type { Asset } from "@ringfence/engine/documents";
import type { DiscoveryProblem, DiscoveryResult } from "../types.ts";
import { bucketAsset, firewallAsset, instanceAsset, networkAsset, subnetAsset } from "./map.ts";
import { aggregatedItems, GcpApiError, listItems, listPages } from "./rest.ts";
import { type GcpConnection, gcpToken, type ServiceAccountKey } from "./token.ts";

export { type GcpConnection, type ServiceAccountKey, serviceAccountKeySchema } from "./token.ts";

type Json = Record<string, unknown>;

interface Collection {
  kind: string;
  url: (connection: GcpConnection, project: string) => string;
  items: (pages: Json[]) => Json[];
  map: (project: string, item: Json) => Asset;
}

const compute = (connection: GcpConnection, project: string, path: string) =>
  `${connection.computeEndpoint}/compute/v1/projects/${encodeURIComponent(project)}/${path}`;

const COLLECTIONS: Collection[] = [
  {
    kind: "vpc",
    url: (c, p) => compute(c, p, "global/networks"),
    items: listItems,
    map: networkAsset,
  },
  {
    kind: "subnet",
    url: (c, p) => compute(c, p, "aggregated/subnetworks"),
    items: (pages) => aggregatedItems(pages, "subnetworks"),
    map: subnetAsset,
  },
  {
    kind: "instance",
    url: (c, p) => compute(c, p, "aggregated/instances"),
    items: (pages) => aggregatedItems(pages, "instances"),
    map: instanceAsset,
  },
  {
    kind: "firewall_rule",
    url: (c, p) => compute(c, p, "global/firewalls"),
    items: listItems,
    map: firewallAsset,
  },
  {
    kind: "bucket",
    url: (c, p) => `${c.storageEndpoint}/storage/v1/b?project=${encodeURIComponent(p)}`,
    items: listItems,
    map: bucketAsset,
  },
];

/**
 * Discovers one GCP project with an explicit service-account key (never the metadata server:
 * the only token source here is the JWT this code signs). Each collection is read on its own;
 * a refused one becomes a problem naming the missing permission.
 */
export async function discoverGcp(
  connection: GcpConnection,
  key: ServiceAccountKey,
  project: string,
): Promise<DiscoveryResult> {
  const token = await gcpToken(connection, key);
  const assets: Asset[] = [];
  const problems: DiscoveryProblem[] = [];
  const scopes: string[] = [];
  for (const collection of COLLECTIONS) {
    try {
      const pages = await listPages(connection.fetch, collection.url(connection, project), token);
      assets.push(...collection.items(pages).map((item) => collection.map(project, item)));
      scopes.push(`kind:${collection.kind}`);
    } catch (error) {
      problems.push(gcpProblem(project, collection.kind, error));
    }
  }
  return { assets, problems, scopes: scopes.sort() };
}

function gcpProblem(project: string, kind: string, error: unknown): DiscoveryProblem {
  const scope = `project:${project}`;
  if (error instanceof GcpApiError && error.permission) {
    return {
      scope,
      code: error.code,
      missingPermission: error.permission,
      message: `${error.code} reading ${kind} in ${scope}: the service account lacks ${error.permission}; grant it roles/compute.viewer and roles/storage.bucketViewer (or a role with that permission)`,
    };
  }
  const code = error instanceof GcpApiError ? error.code : "RequestFailed";
  const detail = error instanceof Error ? error.message : String(error);
  return { scope, code, message: `${code} reading ${kind} in ${scope}: ${detail}` };
}
