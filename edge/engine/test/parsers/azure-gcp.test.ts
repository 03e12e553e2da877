import { describe, expect, it } from "vitest";
import { detectAndParse } from "../../src/parsers/index.ts";
import nics from "../fixtures/cloud/azure/nic-list.json?raw";
import vms from "../fixtures/cloud/azure/vm-list.json?raw";
import instances from "../fixtures/cloud/gcp/instances.json?raw";

describe("az vm list -d", () => {
  const { format, inventory } = detectAndParse("vms.json", vms);

  it("reads the CentOS 7 VM with its subscription, image and split address lists", () => {
    expect(format).toBe("az-vm-list");
    expect(inventory.assets[0]).toMatchObject({
      provider: "azure",
      kind: "instance",
      account: "0b1f6471-1bf0-4dda-aec3-111111111111",
      region: "westeurope",
      name: "web-centos-1",
      state: "VM running",
      addresses: { private: ["10.2.0.4"], public: ["198.51.100.24"] },
      attributes: {
        resource_group: "RG-PROD",
        os: "linux",
        image: "OpenLogic:CentOS:7_9:latest",
        instance_type: "Standard_B2s",
      },
      tags: { "Cost Center": "Payments", "app.tier": "web", "owner:team": "checkout" },
    });
  });

  it("reads null tags as none and several private addresses", () => {
    expect(inventory.assets[1]).toMatchObject({
      addresses: { private: ["10.3.1.5", "10.3.1.6"], public: [] },
      attributes: { os: "windows" },
      tags: {},
    });
  });
});

describe("az network nic list", () => {
  it("reads the VNet (VNetb) and NSG from resource ids", () => {
    const { format, inventory } = detectAndParse("nics.json", nics);
    expect(format).toBe("az-network-nic-list");
    expect(inventory.assets[0]).toMatchObject({
      kind: "network_interface",
      name: "web-centos-1-nic",
      addresses: { private: ["10.2.0.4"], public: [] },
      attributes: { vnet: "VNetb", security_groups: ["web-nsg"], resource_group: "RG-PROD" },
    });
  });
});

describe("gcloud compute instances list --format=json", () => {
  it("reads project, zone, network, labels and network tags", () => {
    const { format, inventory } = detectAndParse("gce.json", instances);
    expect(format).toBe("gcloud-compute-instances-list");
    expect(inventory.assets[0]).toEqual({
      id: "projects/acme-prod/zones/us-central1-a/instances/api-1",
      provider: "gcp",
      kind: "instance",
      account: "acme-prod",
      region: "us-central1",
      zone: "us-central1-a",
      state: "RUNNING",
      name: "api-1",
      addresses: { private: ["10.128.0.12"], public: ["203.0.113.77"] },
      attributes: {
        instance_id: "4815162342108273645",
        instance_type: "e2-medium",
        project: "acme-prod",
        network: "prod-vpc",
        subnet: "prod-us-central1",
        network_tags: ["http-server", "https-server"],
        image: ["centos-7"],
        os: "linux",
      },
      tags: { "cost-center": "retail", env: "prod" },
    });
  });
});
