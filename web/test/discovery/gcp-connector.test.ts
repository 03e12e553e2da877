import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GcpReplay, type GcpWorld, startGcpReplay } from "../../../test/replay/gcp/index.ts";
import { createTestPki, fetchTrusting } from "../../../test/replay/tls.ts";
import {
  discoverGcp,
  type GcpConnection,
  type ServiceAccountKey,
} from "../../src/server/discovery/gcp/index.ts";

process.env.METADATA_SERVER_DETECTION = "none";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const EMAIL = "ringfence@acme-prod.iam.gserviceaccount.com";
const key: ServiceAccountKey = {
  type: "service_account",
  project_id: "acme-prod",
  private_key_id: "k1",
  private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  client_email: EMAIL,
};

const NET = "https://compute.example.invalid/compute/v1/projects/acme-prod/global/networks/default";

function gcpWorld(): GcpWorld {
  return {
    pageSize: 1,
    serviceAccounts: [
      {
        email: EMAIL,
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
        projects: ["acme-prod"],
      },
    ],
    projects: {
      "acme-prod": {
        networks: [{ kind: "compute#network", id: "1", name: "default", selfLink: NET }],
        subnetworks: {
          "regions/europe-west1": [
            {
              kind: "compute#subnetwork",
              id: "2",
              name: "app",
              network: NET,
              region: "https://x/regions/europe-west1",
              ipCidrRange: "10.20.0.0/24",
              selfLink:
                "https://x/compute/v1/projects/acme-prod/regions/europe-west1/subnetworks/app",
            },
          ],
        },
        instances: {
          "zones/europe-west1-b": [
            {
              kind: "compute#instance",
              id: "3",
              name: "web-1",
              status: "RUNNING",
              zone: "https://x/zones/europe-west1-b",
              machineType: "https://x/machineTypes/e2-small",
              labels: { app: "web" },
              tags: { items: ["http-server"] },
              selfLink:
                "https://x/compute/v1/projects/acme-prod/zones/europe-west1-b/instances/web-1",
              networkInterfaces: [
                {
                  network: NET,
                  subnetwork: "https://x/subnetworks/app",
                  networkIP: "10.20.0.5",
                  accessConfigs: [{ natIP: "192.0.2.33" }],
                },
              ],
              disks: [
                {
                  boot: true,
                  licenses: ["https://x/projects/debian-cloud/global/licenses/debian-12-bookworm"],
                },
              ],
            },
          ],
          "zones/europe-west1-c": [],
        },
        firewalls: [
          {
            kind: "compute#firewall",
            id: "4",
            name: "allow-http",
            network: NET,
            direction: "INGRESS",
            sourceRanges: ["0.0.0.0/0"],
            targetTags: ["http-server"],
            selfLink: "https://x/compute/v1/projects/acme-prod/global/firewalls/allow-http",
          },
        ],
        buckets: [
          {
            kind: "storage#bucket",
            id: "acme-records",
            name: "acme-records",
            location: "EU",
            labels: { data: "pii" },
            iamConfiguration: { publicAccessPrevention: "enforced" },
          },
        ],
      },
    },
  };
}

let replay: GcpReplay;
let connection: GcpConnection;

beforeAll(async () => {
  const pki = await createTestPki();
  replay = await startGcpReplay(gcpWorld(), pki.server);
  connection = {
    fetch: fetchTrusting(pki.caCert),
    tokenUri: replay.tokenUri,
    computeEndpoint: replay.url,
    storageEndpoint: replay.url,
  };
});
afterAll(async () => replay.close());

describe("GCP discovery against the HTTPS replay server", () => {
  it("reads networks, subnetworks, instances with OS from licences, firewalls and buckets", async () => {
    const result = await discoverGcp(connection, key, "acme-prod");
    expect(result.problems).toEqual([]);
    expect(result.scopes).toEqual([
      "kind:bucket",
      "kind:firewall_rule",
      "kind:instance",
      "kind:subnet",
      "kind:vpc",
    ]);
    expect(result.assets.find((asset) => asset.kind === "instance")).toMatchObject({
      id: "projects/acme-prod/zones/europe-west1-b/instances/web-1",
      region: "europe-west1",
      zone: "europe-west1-b",
      state: "running",
      addresses: { private: ["10.20.0.5"], public: ["192.0.2.33"] },
      tags: { app: "web" },
      attributes: {
        os: "linux",
        image: "debian-12-bookworm",
        network: "default",
        subnet: "app",
        network_tags: ["http-server"],
      },
    });
    expect(result.assets.find((asset) => asset.kind === "bucket")).toMatchObject({
      region: "eu",
      tags: { data: "pii" },
    });
  });

  it("rejects a key whose signature the token endpoint cannot verify, naming the fix", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = {
      ...key,
      private_key: other.export({ type: "pkcs8", format: "pem" }).toString(),
    };
    await expect(discoverGcp(connection, forged, "acme-prod")).rejects.toThrow(
      /^invalid_grant signing in as .*upload a current key \(Invalid JWT Signature\.\)/,
    );
  });

  it("names the missing permission for a project the account cannot list", async () => {
    const result = await discoverGcp(connection, key, "someone-else");
    expect(result.assets).toEqual([]);
    expect(result.problems.map((problem) => problem.missingPermission)).toEqual([
      "compute.networks.list",
      "compute.subnetworks.list",
      "compute.instances.list",
      "compute.firewalls.list",
      "storage.buckets.list",
    ]);
  });
});
