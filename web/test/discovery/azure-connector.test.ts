import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AzureReplay,
  type AzureWorld,
  startAzureReplay,
} from "../../../test/replay/azure/index.ts";
import { createTestPki, fetchTrusting, type TestPki } from "../../../test/replay/tls.ts";
import {
  type AzureConnection,
  type AzureCredential,
  discoverAzure,
} from "../../src/server/discovery/azure/index.ts";

const SUB = "00000000-0000-0000-0000-00000000aaaa";
const OTHER = "00000000-0000-0000-0000-00000000bbbb";
const TENANT = "11111111-1111-1111-1111-111111111111";
const rg = `/subscriptions/${SUB}/resourceGroups/App`;

function azureWorld(): AzureWorld {
  return {
    apps: [
      {
        tenantId: TENANT,
        clientId: "app-secret",
        clientSecret: "s3cr3t-value",
        subscriptions: [SUB],
      },
      {
        tenantId: TENANT,
        clientId: "app-fed",
        federatedAssertion: "header.payload.sig",
        subscriptions: [SUB],
      },
    ],
    pageSize: 1,
    throttle: {},
    resources: {
      [SUB]: [
        {
          id: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1`,
          name: "vnet1",
          location: "westeurope",
          type: "Microsoft.Network/virtualNetworks",
          tags: { env: "prod" },
          properties: {
            addressSpace: { addressPrefixes: ["10.10.0.0/16"] },
            subnets: [
              {
                id: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/app`,
                name: "app",
                properties: { addressPrefix: "10.10.1.0/24" },
              },
            ],
          },
        },
        {
          id: `${rg}/providers/Microsoft.Network/publicIPAddresses/pip1`,
          name: "pip1",
          location: "westeurope",
          type: "Microsoft.Network/publicIPAddresses",
          properties: { ipAddress: "198.51.100.7" },
        },
        {
          id: `${rg}/providers/Microsoft.Network/networkSecurityGroups/nsg1`,
          name: "nsg1",
          location: "westeurope",
          type: "Microsoft.Network/networkSecurityGroups",
          properties: { securityRules: [] },
        },
        {
          id: `${rg}/providers/Microsoft.Network/networkInterfaces/nic1`,
          name: "nic1",
          location: "westeurope",
          type: "Microsoft.Network/networkInterfaces",
          tags: { app: "web" },
          properties: {
            ipConfigurations: [
              {
                name: "ipconfig1",
                properties: {
                  privateIPAddress: "10.10.1.4",
                  subnet: {
                    id: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/app`,
                  },
                  publicIPAddress: {
                    id: `${rg}/providers/Microsoft.Network/publicIPAddresses/pip1`,
                  },
                },
              },
            ],
            networkSecurityGroup: {
              id: `${rg}/providers/Microsoft.Network/networkSecurityGroups/nsg1`,
            },
            virtualMachine: { id: `${rg}/providers/Microsoft.Compute/virtualMachines/vm1` },
          },
        },
        {
          id: `${rg}/providers/Microsoft.Compute/virtualMachines/vm1`,
          name: "vm1",
          location: "westeurope",
          type: "Microsoft.Compute/virtualMachines",
          tags: { app: "web" },
          properties: {
            vmId: "5b0c-vm1",
            hardwareProfile: { vmSize: "Standard_B2s" },
            storageProfile: {
              osDisk: { osType: "Linux" },
              imageReference: {
                publisher: "Canonical",
                offer: "ubuntu-24_04-lts",
                sku: "server",
                version: "latest",
              },
            },
            networkProfile: {
              networkInterfaces: [
                { id: `${rg}/providers/Microsoft.Network/networkInterfaces/nic1` },
              ],
            },
          },
        },
        {
          id: `${rg}/providers/Microsoft.Storage/storageAccounts/records`,
          name: "records",
          location: "westeurope",
          type: "Microsoft.Storage/storageAccounts",
          kind: "StorageV2",
          tags: { data: "pii" },
          properties: {
            networkAcls: { defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] },
            primaryEndpoints: { blob: "https://records.blob.core.windows.net/" },
          },
        },
      ],
    },
  };
}

let pki: TestPki;
let replay: AzureReplay;
let connection: AzureConnection;
const secret: AzureCredential = {
  kind: "secret",
  tenantId: TENANT,
  clientId: "app-secret",
  clientSecret: "s3cr3t-value",
};

beforeAll(async () => {
  pki = await createTestPki();
  replay = await startAzureReplay(azureWorld(), pki.server);
  connection = {
    fetch: fetchTrusting(pki.caCert),
    authorityHost: replay.url,
    armEndpoint: replay.url,
  };
});
afterAll(async () => replay.close());

describe("Azure discovery against the HTTPS replay server", () => {
  it("reads VNets, subnets, NICs with public addresses, VMs, NSGs and storage with tags", async () => {
    const result = await discoverAzure(connection, secret, SUB);
    expect(result.problems).toEqual([]);
    const vm = result.assets.find((asset) => asset.kind === "instance");
    expect(vm).toMatchObject({
      provider: "azure",
      account: SUB,
      region: "westeurope",
      name: "vm1",
      addresses: { private: ["10.10.1.4"], public: ["198.51.100.7"] },
      tags: { app: "web" },
      attributes: {
        os: "linux",
        vnet: "vnet1",
        subnet: "app",
        security_groups: ["nsg1"],
        instance_type: "Standard_B2s",
        resource_group: "App",
      },
    });
    expect(result.assets.map((asset) => asset.kind).sort()).toEqual([
      "instance",
      "network_interface",
      "security_group",
      "storage_account",
      "subnet",
      "vpc",
    ]);
    expect(
      result.assets.find((asset) => asset.kind === "storage_account")?.attributes[
        "access.default_action"
      ],
    ).toBe("Allow");
  });

  it("signs in with a federated credential's assertion", async () => {
    const result = await discoverAzure(
      connection,
      { kind: "federated", tenantId: TENANT, clientId: "app-fed", assertion: "header.payload.sig" },
      SUB,
    );
    expect(result.assets.length).toBeGreaterThan(0);
  });

  it("names the fix for a wrong client secret", async () => {
    const wrong = { ...secret, clientSecret: "the-secret-id-instead" };
    await expect(discoverAzure(connection, wrong, SUB)).rejects.toThrow(
      /^invalid_client signing in as app-secret: the client secret is wrong or expired/,
    );
  });

  it("names the missing Reader permission per collection", async () => {
    const result = await discoverAzure(connection, secret, OTHER);
    expect(result.assets).toEqual([]);
    expect(result.scopes).toEqual([]);
    expect(result.problems[0]).toMatchObject({
      code: "AuthorizationFailed",
      missingPermission: "Microsoft.Network/virtualNetworks/read",
    });
    expect(result.problems[0]?.message).toMatch(/assign it the Reader role/);
  });

  it("retries a 429 and still returns the collection", async () => {
    replay.world.throttle["Microsoft.Compute/virtualMachines"] = 2;
    const result = await discoverAzure(connection, secret, SUB);
    expect(result.problems).toEqual([]);
    expect(result.assets.some((asset) => asset.kind === "instance")).toBe(true);
    expect(replay.world.throttle["Microsoft.Compute/virtualMachines"]).toBe(0);
  });

  it("refuses to talk to the replay without trusting its test CA", async () => {
    const untrusting = {
      ...connection,
      fetch: (input: string, init?: RequestInit) => fetch(input, init),
    };
    await expect(discoverAzure(untrusting, secret, SUB)).rejects.toThrow();
  });
});
