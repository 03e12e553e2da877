import { z } from "zod";
import { isIp } from "../net/index.ts";
import { parseDocument } from "./errors.ts";

/** Cloud providers an inventory can describe. */
export const PROVIDERS = ["aws", "azure", "gcp"] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * Asset kinds that connectors emit today. The schema accepts any snake_case kind so a new
 * connector does not need a schema release, but these are the ones selectors and docs name.
 */
export const KNOWN_ASSET_KINDS = [
  "instance",
  "network_interface",
  "vpc",
  "subnet",
  "security_group",
  "bucket",
  "storage_account",
  "function",
  "load_balancer",
  "database",
  "vpc_endpoint",
  "firewall_rule",
  "api_gateway",
  "container_service",
] as const;

/**
 * Canonical attribute keys. Connectors map native fields onto these names so that one selector
 * (`vpc == "vpc-1"`, `os.version >= "7.4"`) works for every provider that has the concept.
 */
export const CANONICAL_ATTRIBUTE_KEYS = [
  "vpc",
  "vnet",
  "subnet",
  "security_groups",
  "instance_id",
  "instance_type",
  "os",
  "os.version",
  "image",
  "platform",
  "imds.http_tokens",
  "resource_group",
  "project",
  "network",
  "endpoint",
] as const;

const ipString = z.string().refine(isIp, { message: "not a valid IPv4 or IPv6 address" });

const attributeValue = z.union([z.string(), z.array(z.string())]);

/** One cloud asset: a compute instance, interface, bucket, network, database, … */
export const assetSchema = z.strictObject({
  id: z.string().min(1, "asset id must not be empty").max(2048),
  provider: z.enum(PROVIDERS),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "kind must be snake_case (for example network_interface)"),
  account: z.string().min(1, "account must not be empty"),
  region: z.string().min(1, "region must not be empty"),
  zone: z.string().min(1).optional(),
  state: z.string().min(1).optional(),
  name: z.string().optional(),
  addresses: z.strictObject({
    private: z.array(ipString),
    public: z.array(ipString),
  }),
  attributes: z.record(z.string().min(1, "attribute key must not be empty"), attributeValue),
  tags: z.record(z.string().min(1, "tag key must not be empty"), z.string()),
});

/** The canonical inventory document, version 1. */
export const inventorySchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    assets: z.array(assetSchema),
  })
  .superRefine((inventory, ctx) => {
    const seen = new Map<string, number>();
    inventory.assets.forEach((asset, index) => {
      const first = seen.get(asset.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["assets", index, "id"],
          message: `duplicate asset id (first at $.assets[${first}])`,
        });
      }
      seen.set(asset.id, index);
    });
  });

export type Asset = z.output<typeof assetSchema>;
export type Inventory = z.output<typeof inventorySchema>;

/** Validates an inventory document; throws a DocumentError listing every problem by path. */
export function parseInventory(input: unknown): Inventory {
  return parseDocument(inventorySchema, "inventory", input);
}
