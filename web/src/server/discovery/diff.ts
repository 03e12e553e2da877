import { createHash } from "node:crypto";
import { canonicalize } from "@ringfence/engine/bundle";
import type { Asset } from "@ringfence/engine/documents";
import { assetScope } from "./types.ts";

/** The content hash of an asset: SHA-256 of its RFC 8785 canonical JSON, hex. */
export function assetHash(asset: Asset): string {
  return createHash("sha256").update(canonicalize(asset)).digest("hex");
}

/** What the store already holds for an asset: its stable cloud id, hash and scope. */
export interface KnownAsset {
  cloudId: string;
  hash: string;
  scope: string;
}

/** One sync's changes by stable cloud id. `changed` and `added` carry the new content. */
export interface InventoryDiff {
  added: { asset: Asset; hash: string }[];
  changed: { asset: Asset; hash: string }[];
  removed: string[];
  unchanged: number;
}

/**
 * Compares a sync's assets with what is stored. An asset missing from the result counts as
 * removed only when its scope was read completely this time: a region that failed keeps its
 * assets rather than having them deleted and re-added on the next good sync.
 */
export function diffInventory(
  known: Iterable<KnownAsset>,
  assets: readonly Asset[],
  completeScopes: readonly string[],
): InventoryDiff {
  const previous = new Map<string, KnownAsset>();
  for (const entry of known) previous.set(entry.cloudId, entry);
  const diff: InventoryDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  const seen = new Set<string>();

  for (const asset of assets) {
    if (seen.has(asset.id)) continue;
    seen.add(asset.id);
    const hash = assetHash(asset);
    const before = previous.get(asset.id);
    if (!before) diff.added.push({ asset, hash });
    else if (before.hash !== hash) diff.changed.push({ asset, hash });
    else diff.unchanged++;
  }

  const complete = new Set(completeScopes);
  for (const entry of previous.values()) {
    if (!seen.has(entry.cloudId) && complete.has(entry.scope)) diff.removed.push(entry.cloudId);
  }
  return diff;
}

export { assetScope };
