/**
 * Detects which cloud CLI produced a JSON file by its content (never by its name, which users
 * choose freely) and turns it into the canonical inventory.
 */
import { DocumentError, type Inventory, parseInventory } from "../documents/index.ts";
import type { ParseContext } from "./asset.ts";
import { parseEc2Instances, parseEc2NetworkInterfaces } from "./aws-ec2.ts";
import { parseBuckets, parseSecurityGroups, parseSubnets, parseVpcs } from "./aws-network.ts";
import { parseAzureNics, parseAzureVms } from "./azure.ts";
import { parseGcpInstances } from "./gcp.ts";
import { CloudParseError, type Reader, readJson } from "./reader.ts";

/** Every format `detectAndParse` recognises. */
export const INVENTORY_FORMATS = [
  "ringfence-inventory",
  "aws-ec2-describe-instances",
  "aws-ec2-describe-network-interfaces",
  "aws-ec2-describe-vpcs",
  "aws-ec2-describe-subnets",
  "aws-ec2-describe-security-groups",
  "aws-s3api-list-buckets",
  "az-vm-list",
  "az-network-nic-list",
  "gcloud-compute-instances-list",
  "empty-list",
] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** The result of reading one file. */
export interface ParsedInventory {
  readonly format: InventoryFormat;
  readonly inventory: Inventory;
}

type Parser = (root: Reader, context: ParseContext) => Inventory["assets"];

/** Top-level keys of the AWS outputs, each unique to one command. */
const AWS_KEYS: ReadonlyArray<readonly [string, InventoryFormat, Parser]> = [
  ["Reservations", "aws-ec2-describe-instances", parseEc2Instances],
  ["NetworkInterfaces", "aws-ec2-describe-network-interfaces", parseEc2NetworkInterfaces],
  ["Vpcs", "aws-ec2-describe-vpcs", parseVpcs],
  ["Subnets", "aws-ec2-describe-subnets", parseSubnets],
  ["SecurityGroups", "aws-ec2-describe-security-groups", parseSecurityGroups],
  ["Buckets", "aws-s3api-list-buckets", parseBuckets],
];

/** Recognises a list output by its first record. */
function detectList(first: Reader): [InventoryFormat, Parser] | null {
  const id = first.at("id").value;
  const text = typeof id === "string" ? id.toLowerCase() : "";
  if (text.includes("/providers/microsoft.compute/virtualmachines/")) {
    return ["az-vm-list", parseAzureVms];
  }
  if (text.includes("/providers/microsoft.network/networkinterfaces/")) {
    return ["az-network-nic-list", parseAzureNics];
  }
  const kind = first.at("kind").value;
  const selfLink = first.at("selfLink").value;
  if (
    kind === "compute#instance" ||
    (typeof selfLink === "string" && selfLink.includes("/instances/"))
  ) {
    return ["gcloud-compute-instances-list", parseGcpInstances];
  }
  return null;
}

const SUPPORTED =
  "expected a Ringfence inventory or the JSON output of aws ec2 describe-instances, " +
  "describe-network-interfaces, describe-vpcs, describe-subnets, describe-security-groups, " +
  "aws s3api list-buckets, az vm list -d, az network nic list or gcloud compute instances list";

/** Converts a canonical-document error into the one-line file/path/record form. */
function documentFailure(file: string, root: Reader, error: DocumentError): CloudParseError {
  const issue = error.issues[0];
  const path = (issue?.path ?? "$").replace(/^\$\.?/, "");
  const index = /^assets\[(\d+)\]/.exec(path)?.[1];
  const asset = index === undefined ? undefined : root.at("assets").list(true)[Number(index)];
  const id = asset?.at("id").value;
  const record = typeof id === "string" ? id : undefined;
  return new CloudParseError(file, path, issue?.message ?? "invalid inventory", record);
}

function canonical(file: string, root: Reader, assets: unknown): Inventory {
  try {
    return parseInventory(assets);
  } catch (error) {
    if (error instanceof DocumentError) throw documentFailure(file, root, error);
    throw error;
  }
}

/**
 * Reads one file: a canonical inventory or a supported cloud CLI output, told apart by content.
 * Throws {@link CloudParseError} naming the file, JSON path and record of the first problem.
 */
export function detectAndParse(
  fileName: string,
  text: string,
  context: ParseContext = {},
): ParsedInventory {
  const root = readJson(fileName, text);

  if (root.isObject() && "schemaVersion" in (root.value as object)) {
    return { format: "ringfence-inventory", inventory: canonical(fileName, root, root.value) };
  }

  let found: [InventoryFormat, Parser] | null = null;
  if (root.isObject()) {
    const keys = Object.keys(root.value as object);
    const row = AWS_KEYS.find(([key]) => keys.includes(key));
    found = row ? [row[1], row[2]] : null;
  } else if (Array.isArray(root.value)) {
    const first = root.list()[0];
    if (!first) return { format: "empty-list", inventory: { schemaVersion: 1, assets: [] } };
    found = detectList(first);
  }
  if (!found) throw new CloudParseError(fileName, "", `unrecognised content: ${SUPPORTED}`);

  const [format, parse] = found;
  const assets = parse(root, context);
  return { format, inventory: canonical(fileName, root, { schemaVersion: 1, assets }) };
}
