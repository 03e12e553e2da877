import type { DiscoveryProblem, DiscoveryResult } from "../types.ts";
import { ArmError, type ArmResource, listArm } from "./arm.ts";
import { type AzureSubscriptionData, mapAzureSubscription } from "./map.ts";
import { type AzureConnection, type AzureCredential, azureToken } from "./token.ts";

export type { AzureConnection, AzureCredential } from "./token.ts";

/** The ARM collections read per subscription, the api-version each is read at, and the kinds
 * whose records depend on it (a failed collection leaves those kinds' previous assets alone). */
const COLLECTIONS: Record<
  keyof AzureSubscriptionData,
  { type: string; apiVersion: string; kinds: string[] }
> = {
  virtualNetworks: {
    type: "Microsoft.Network/virtualNetworks",
    apiVersion: "2024-05-01",
    kinds: ["vpc", "subnet"],
  },
  networkInterfaces: {
    type: "Microsoft.Network/networkInterfaces",
    apiVersion: "2024-05-01",
    kinds: ["network_interface", "instance"],
  },
  publicIpAddresses: {
    type: "Microsoft.Network/publicIPAddresses",
    apiVersion: "2024-05-01",
    kinds: ["network_interface", "instance"],
  },
  networkSecurityGroups: {
    type: "Microsoft.Network/networkSecurityGroups",
    apiVersion: "2024-05-01",
    kinds: ["security_group"],
  },
  virtualMachines: {
    type: "Microsoft.Compute/virtualMachines",
    apiVersion: "2024-07-01",
    kinds: ["instance"],
  },
  storageAccounts: {
    type: "Microsoft.Storage/storageAccounts",
    apiVersion: "2023-05-01",
    kinds: ["storage_account"],
  },
};

const ALL_KINDS = [
  "vpc",
  "subnet",
  "network_interface",
  "instance",
  "security_group",
  "storage_account",
];

/**
 * Discovers one Azure subscription with an explicit service-principal or federated credential.
 * Each collection is read independently: one refused collection becomes a problem naming the
 * missing `…/read` permission, and the others are kept.
 */
export async function discoverAzure(
  connection: AzureConnection,
  credential: AzureCredential,
  subscriptionId: string,
): Promise<DiscoveryResult> {
  const token = await azureToken(connection, credential);
  const problems: DiscoveryProblem[] = [];
  const failedKinds = new Set<string>();
  const data = {} as AzureSubscriptionData;

  for (const [name, collection] of Object.entries(COLLECTIONS)) {
    const path = `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/${collection.type}?api-version=${collection.apiVersion}`;
    let resources: ArmResource[] = [];
    try {
      resources = await listArm(connection.fetch, connection.armEndpoint, token, path);
    } catch (error) {
      problems.push(armProblem(subscriptionId, collection.type, error));
      for (const kind of collection.kinds) failedKinds.add(kind);
    }
    data[name as keyof AzureSubscriptionData] = resources;
  }

  const assets = mapAzureSubscription(subscriptionId, data).filter(
    (asset) => !failedKinds.has(asset.kind),
  );
  const scopes = ALL_KINDS.filter((kind) => !failedKinds.has(kind)).map((kind) => `kind:${kind}`);
  return { assets, problems, scopes: scopes.sort() };
}

function armProblem(subscriptionId: string, type: string, error: unknown): DiscoveryProblem {
  const scope = `subscription:${subscriptionId}`;
  if (error instanceof ArmError && error.code === "AuthorizationFailed") {
    return {
      scope,
      code: error.code,
      missingPermission: `${type}/read`,
      message: `AuthorizationFailed in ${scope}: the service principal lacks ${type}/read; assign it the Reader role on the subscription`,
    };
  }
  const code = error instanceof ArmError ? error.code : "RequestFailed";
  const detail = error instanceof Error ? error.message : String(error);
  return { scope, code, message: `${code} listing ${type} in ${scope}: ${detail}` };
}
