import type { Asset, Inventory, PolicyInput } from "../../src/documents/index.ts";

/** An inventory asset with sensible defaults for tests. */
export function asset(id: string, fields: Partial<Asset> = {}): Asset {
  return {
    id,
    provider: "aws",
    kind: "instance",
    account: "111122223333",
    region: "us-east-1",
    addresses: { private: [], public: [] },
    attributes: {},
    tags: {},
    ...fields,
  };
}

/** A small estate: two web servers, a database, an IPv6-only worker and a bucket. */
export const inventory: Inventory = {
  schemaVersion: 1,
  assets: [
    asset("web-1", {
      addresses: { private: ["10.0.1.10"], public: ["203.0.113.10"] },
      tags: { Role: "web" },
      attributes: { vpc: "vpc-a" },
    }),
    asset("web-2", {
      addresses: { private: ["10.0.1.11"], public: [] },
      tags: { Role: "web" },
      attributes: { vpc: "vpc-b" },
    }),
    asset("db-1", {
      addresses: { private: ["10.0.2.20"], public: [] },
      tags: { Role: "db", "Cost Center": "42" },
    }),
    asset("worker-6", {
      addresses: { private: ["fd00::6"], public: [] },
      tags: { Role: "worker" },
    }),
    asset("bucket-data", { kind: "bucket", name: "corp-data", region: "eu-west-1" }),
  ],
};

/** A policy exercising every object and service kind. */
export function samplePolicy(): PolicyInput {
  return {
    schemaVersion: 1,
    objects: [
      { id: "web", kind: "dynamic", selector: 'tag.Role == "web"' },
      { id: "web-a", kind: "dynamic", selector: 'tag.Role == "web"', scope: { vpcs: ["vpc-a"] } },
      { id: "db", kind: "dynamic", selector: 'tag["Cost Center"] == "42"' },
      { id: "workers", kind: "dynamic", selector: 'tag.Role == "worker"' },
      {
        id: "corp",
        kind: "static",
        addresses: ["10.0.0.0/16", "192.168.1.1-192.168.1.6", "2001:db8::/48"],
      },
      {
        id: "partners",
        kind: "fqdn",
        fqdns: ["api.partner.example", "*.cdn.partner.example", "**.partner.net"],
      },
      { id: "internal", kind: "group", include: ["corp", "builtin:private"], exclude: ["db"] },
    ],
    services: [
      { id: "data-bucket", kind: "s3", bucket: "corp-data" },
      { id: "blob", kind: "azure_storage", account: "corpstore" },
      { id: "gcs", kind: "gcs", bucket: "corp-gcs" },
      { id: "api", kind: "fqdn", hosts: ["api.example.com"], ports: [443], pathPrefixes: ["/v1/"] },
    ],
    ruleSets: [
      {
        id: "guard",
        defaultAction: "next",
        rules: [
          { id: "no-metadata", destinations: ["builtin:cloud-metadata"], action: "deny" },
          { id: "watch-db", sources: ["web"], destinations: ["db"], action: "deny", monitor: true },
        ],
      },
      {
        id: "egress",
        defaultAction: "deny",
        rules: [
          {
            id: "web-data",
            sources: ["web"],
            destinations: ["data-bucket"],
            action: "allow",
            mode: "proxy",
            profiles: ["dlp-1"],
          },
          { id: "web-db", sources: ["web"], destinations: ["db"], ports: [5432], action: "allow" },
          {
            id: "partners",
            sources: ["internal", "workers"],
            destinations: ["partners", "api", "blob", "gcs"],
            action: "allow",
          },
          { id: "off", destinations: ["corp"], action: "allow", enabled: false },
        ],
      },
    ],
    profiles: [{ id: "dlp-1", kind: "dlp", patterns: ["ssn"] }],
  };
}
