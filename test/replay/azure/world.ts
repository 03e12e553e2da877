/**
 * The state an Azure replay server answers from. Resources are stored in ARM's own JSON shape
 * (`id`, `name`, `location`, `tags`, `properties`), so the server returns them as they are.
 */
export interface ArmResource {
  id: string;
  name: string;
  location: string;
  type: string;
  tags?: Record<string, string>;
  kind?: string;
  properties: Record<string, unknown>;
}

/** An app registration: its secret, or the federated token it accepts as a client assertion. */
export interface AzureApp {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  federatedAssertion?: string;
  /** Subscriptions the app holds Reader on; others answer AuthorizationFailed. */
  subscriptions: string[];
}

export interface AzureWorld {
  apps: AzureApp[];
  /** Resources by subscription id. */
  resources: Record<string, ArmResource[]>;
  /** ARM list page size; `nextLink` carries the rest. */
  pageSize: number;
  /** Remaining 429 answers per resource type, consumed one per call. */
  throttle: Record<string, number>;
}

/** The ARM resource types the replay lists, as `{provider}/{type}` path segments. */
export const AZURE_TYPES = [
  "Microsoft.Network/virtualNetworks",
  "Microsoft.Network/networkInterfaces",
  "Microsoft.Network/publicIPAddresses",
  "Microsoft.Network/networkSecurityGroups",
  "Microsoft.Compute/virtualMachines",
  "Microsoft.Storage/storageAccounts",
] as const;
