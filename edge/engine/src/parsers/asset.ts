/** Shared helpers for building canonical assets from cloud CLI records. */
import type { Asset } from "../documents/index.ts";

/** What a file alone cannot say (describe-vpcs has no region, list-buckets no account). */
export interface ParseContext {
  readonly account?: string;
  readonly region?: string;
}

/** The placeholder for a fact the file does not carry and the caller did not supply. */
export const UNKNOWN = "unknown";

/** Attribute values with empty entries dropped, so absent facts do not become "" attributes. */
export function attributes(
  entries: Record<string, string | readonly string[] | undefined>,
): Asset["attributes"] {
  const out: Asset["attributes"] = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined || value === "") continue;
    out[key] = typeof value === "string" ? value : [...value];
  }
  return out;
}

/** Unique, defined values in first-seen order. */
export function unique(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

/** The AWS region of an availability zone: `us-east-1a` → `us-east-1`. */
export function awsRegionOfZone(zone: string): string {
  return /^[a-z]{2}(?:-gov)?-[a-z]+-\d+/.exec(zone)?.[0] ?? zone.slice(0, -1);
}

/** Region and account from an AWS ARN (`arn:aws:ec2:us-east-1:123456789012:subnet/…`). */
export function awsArnParts(arn: string | undefined): { region?: string; account?: string } {
  const parts = arn?.split(":") ?? [];
  if (parts[0] !== "arn" || parts.length < 6) return {};
  return { region: parts[3] || undefined, account: parts[4] || undefined };
}
