/**
 * `az vm list -d` and `az network nic list` (JSON output). Azure records carry their
 * subscription and resource group inside the resource id, so no context is needed.
 */
import type { Asset } from "../documents/index.ts";
import { attributes, type ParseContext, UNKNOWN, unique } from "./asset.ts";
import type { Reader } from "./reader.ts";

/** The value after `segment` in an Azure resource id (`…/virtualNetworks/VNetb/…`). */
export function azureIdPart(id: string | undefined, segment: string): string | undefined {
  const parts = id?.split("/") ?? [];
  const index = parts.findIndex((part) => part.toLowerCase() === segment.toLowerCase());
  return index >= 0 ? parts[index + 1] || undefined : undefined;
}

/** `privateIps` / `publicIps` of `az vm list -d`: comma-separated text, empty for none. */
function ipList(field: Reader): string[] {
  const text = field.optionalString();
  if (text === undefined) return [];
  return text.split(",").map((part) => {
    const address = part.trim();
    const family = address.includes(":") ? 6 : 4;
    return field.fork(address).ip(family);
  });
}

function common(record: Reader, id: string, context: ParseContext) {
  return {
    id,
    provider: "azure" as const,
    account: azureIdPart(id, "subscriptions") ?? context.account ?? UNKNOWN,
    region: record.at("location").optionalString() ?? context.region ?? UNKNOWN,
    name: record.at("name").optionalString(),
    tags: record.at("tags").stringMap(),
  };
}

function azureVm(item: Reader, context: ParseContext): Asset {
  const id = item.object().at("id").string();
  const record = item.inRecord(id);
  const storage = record.at("storageProfile");
  const image = storage.at("imageReference");
  const imageName = ["publisher", "offer", "sku", "version"].map((k) =>
    image.at(k).optionalString(),
  );

  return {
    ...common(record, id, context),
    kind: "instance",
    state: record.at("powerState").optionalString(),
    addresses: { private: ipList(record.at("privateIps")), public: ipList(record.at("publicIps")) },
    attributes: attributes({
      instance_id: record.at("vmId").optionalString(),
      instance_type: record.at("hardwareProfile").at("vmSize").optionalString(),
      resource_group: record.at("resourceGroup").optionalString(),
      os: storage.at("osDisk").at("osType").optionalString()?.toLowerCase(),
      image: imageName.every((part) => part === undefined) ? undefined : imageName.join(":"),
      network_interfaces: record
        .at("networkProfile")
        .at("networkInterfaces")
        .list(true)
        .map((nic) => nic.at("id").string()),
    }),
  };
}

/** Parses `az vm list -d` (`-d` adds the addresses and power state). */
export function parseAzureVms(root: Reader, context: ParseContext): Asset[] {
  return root.list().map((item) => azureVm(item, context));
}

function azureNic(item: Reader, context: ParseContext): Asset {
  const id = item.object().at("id").string();
  const record = item.inRecord(id);
  const configs = record.at("ipConfigurations").list(true);
  const subnets = unique(configs.map((c) => c.at("subnet").at("id").optionalString()));
  const nsg = record.at("networkSecurityGroup").at("id").optionalString();

  return {
    ...common(record, id, context),
    kind: "network_interface",
    state: record.at("provisioningState").optionalString(),
    addresses: {
      private: unique(configs.map((c) => c.at("privateIPAddress").optionalIp(4))),
      public: [],
    },
    attributes: attributes({
      resource_group: record.at("resourceGroup").optionalString(),
      vnet: unique(subnets.map((s) => azureIdPart(s, "virtualNetworks")))[0],
      subnet: subnets[0],
      security_groups: nsg ? [azureIdPart(nsg, "networkSecurityGroups") ?? nsg] : undefined,
      instance_id: record.at("virtualMachine").at("id").optionalString(),
    }),
  };
}

/** Parses `az network nic list`. */
export function parseAzureNics(root: Reader, context: ParseContext): Asset[] {
  return root.list().map((item) => azureNic(item, context));
}
