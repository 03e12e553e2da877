import type { Asset } from "@ringfence/engine/documents";
import type { ArmResource } from "./arm.ts";

/** The resources of one subscription, grouped by type, as ARM listed them. */
export interface AzureSubscriptionData {
  virtualNetworks: ArmResource[];
  networkInterfaces: ArmResource[];
  publicIpAddresses: ArmResource[];
  networkSecurityGroups: ArmResource[];
  virtualMachines: ArmResource[];
  storageAccounts: ArmResource[];
}

type Props = Record<string, unknown>;
type Attributes = Asset["attributes"];

const props = (value: unknown): Props =>
  typeof value === "object" && value !== null ? (value as Props) : {};
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** ARM ids are case-insensitive; lower case makes them stable keys for the diff. */
const key = (id: string): string => id.toLowerCase();
const lastSegment = (id: string | undefined): string | undefined => id?.split("/").pop();

function resourceGroup(id: string): string | undefined {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1];
}

function compact(values: Record<string, string | string[] | undefined>): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0))
      continue;
    out[name] = value;
  }
  return out;
}

function base(subscription: string, kind: string, resource: ArmResource) {
  return {
    id: key(resource.id),
    provider: "azure" as const,
    kind,
    account: subscription,
    region: resource.location,
    name: resource.name,
    tags: resource.tags ?? {},
  };
}

const none = { private: [], public: [] };

function vnetAssets(subscription: string, vnet: ArmResource): Asset[] {
  const properties = props(vnet.properties);
  const prefixes = arr(props(properties.addressSpace).addressPrefixes).map(String);
  const network: Asset = {
    ...base(subscription, "vpc", vnet),
    addresses: none,
    attributes: compact({
      vnet: vnet.name,
      cidr: prefixes,
      resource_group: resourceGroup(vnet.id),
    }),
  };
  const subnets = arr(properties.subnets).map((raw): Asset => {
    const subnet = props(raw);
    const id = str(subnet.id) ?? `${vnet.id}/subnets/${str(subnet.name)}`;
    return {
      id: key(id),
      provider: "azure",
      kind: "subnet",
      account: subscription,
      region: vnet.location,
      name: str(subnet.name) ?? lastSegment(id) ?? id,
      addresses: none,
      tags: {},
      attributes: compact({
        vnet: vnet.name,
        subnet: str(subnet.name),
        cidr: str(props(subnet.properties).addressPrefix),
        resource_group: resourceGroup(vnet.id),
      }),
    };
  });
  return [network, ...subnets];
}

/** A NIC's addresses and placement, resolved against the subscription's public IPs. */
interface NicFacts {
  privates: string[];
  publics: string[];
  vnet?: string;
  subnet?: string;
  nsg?: string;
  vm?: string;
}

function nicFacts(nic: ArmResource, publicIps: Map<string, string>): NicFacts {
  const properties = props(nic.properties);
  const configs = arr(properties.ipConfigurations).map((raw) => props(props(raw).properties));
  const subnetId = str(props(configs[0]?.subnet).id);
  const publics = configs.flatMap((config) => {
    const ip = publicIps.get(key(str(props(config.publicIPAddress).id) ?? ""));
    return ip ? [ip] : [];
  });
  return {
    privates: configs.flatMap((config) => str(config.privateIPAddress) ?? []),
    publics,
    vnet: /\/virtualnetworks\/([^/]+)/i.exec(subnetId ?? "")?.[1],
    subnet: lastSegment(subnetId),
    nsg: lastSegment(str(props(properties.networkSecurityGroup).id)),
    vm: str(props(properties.virtualMachine).id),
  };
}

function nicAsset(subscription: string, nic: ArmResource, facts: NicFacts): Asset {
  return {
    ...base(subscription, "network_interface", nic),
    addresses: { private: facts.privates, public: facts.publics },
    attributes: compact({
      vnet: facts.vnet,
      subnet: facts.subnet,
      security_groups: facts.nsg ? [facts.nsg] : [],
      instance_id: facts.vm ? key(facts.vm) : undefined,
      resource_group: resourceGroup(nic.id),
    }),
  };
}

function vmAsset(subscription: string, vm: ArmResource, nics: Map<string, NicFacts>): Asset {
  const properties = props(vm.properties);
  const storage = props(properties.storageProfile);
  const image = props(storage.imageReference);
  const imageName = [image.publisher, image.offer, image.sku, image.version]
    .filter(Boolean)
    .join(":");
  const facts = arr(props(properties.networkProfile).networkInterfaces).flatMap((raw) => {
    const found = nics.get(key(str(props(raw).id) ?? ""));
    return found ? [found] : [];
  });
  return {
    ...base(subscription, "instance", vm),
    addresses: {
      private: facts.flatMap((nic) => nic.privates),
      public: facts.flatMap((nic) => nic.publics),
    },
    attributes: compact({
      instance_id: str(properties.vmId),
      instance_type: str(props(properties.hardwareProfile).vmSize),
      os: str(props(storage.osDisk).osType)?.toLowerCase(),
      image: imageName || str(image.id),
      vnet: facts[0]?.vnet,
      subnet: facts[0]?.subnet,
      security_groups: [...new Set(facts.flatMap((nic) => (nic.nsg ? [nic.nsg] : [])))],
      resource_group: resourceGroup(vm.id),
    }),
  };
}

function storageAsset(subscription: string, account: ArmResource): Asset {
  const properties = props(account.properties);
  const acls = props(properties.networkAcls);
  return {
    ...base(subscription, "storage_account", account),
    addresses: none,
    attributes: compact({
      resource_group: resourceGroup(account.id),
      endpoint: str(props(properties.primaryEndpoints).blob),
      "access.default_action": str(acls.defaultAction) ?? "Allow",
      "access.public_network": str(properties.publicNetworkAccess) ?? "Enabled",
      "access.source_ip": arr(acls.ipRules).flatMap((rule) => str(props(rule).value) ?? []),
      "access.vnet_rules": arr(acls.virtualNetworkRules).flatMap(
        (rule) => str(props(rule).id) ?? [],
      ),
    }),
  };
}

/** Maps one subscription's ARM resources to canonical assets. */
export function mapAzureSubscription(subscription: string, data: AzureSubscriptionData): Asset[] {
  const publicIps = new Map(
    data.publicIpAddresses.flatMap((ip) => {
      const address = str(props(ip.properties).ipAddress);
      return address ? [[key(ip.id), address] as const] : [];
    }),
  );
  const nics = new Map(
    data.networkInterfaces.map((nic) => [key(nic.id), nicFacts(nic, publicIps)]),
  );
  return [
    ...data.virtualNetworks.flatMap((vnet) => vnetAssets(subscription, vnet)),
    ...data.networkInterfaces.map((nic) =>
      nicAsset(subscription, nic, nics.get(key(nic.id)) ?? nicFacts(nic, publicIps)),
    ),
    ...data.networkSecurityGroups.map((nsg) => ({
      ...base(subscription, "security_group", nsg),
      addresses: none,
      attributes: compact({ resource_group: resourceGroup(nsg.id) }),
    })),
    ...data.virtualMachines.map((vm) => vmAsset(subscription, vm, nics)),
    ...data.storageAccounts.map((account) => storageAsset(subscription, account)),
  ];
}
