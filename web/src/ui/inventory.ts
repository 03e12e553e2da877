import type { InventoryItem } from "./types.ts";

/** The inventory explorer's filters; empty strings mean "any". */
export interface AssetFilters {
  provider: string;
  kind: string;
  region: string;
  accountId: string;
  /** `key` (has the tag) or `key=value`. */
  tag: string;
  search: string;
}

export const NO_FILTERS: AssetFilters = {
  provider: "",
  kind: "",
  region: "",
  accountId: "",
  tag: "",
  search: "",
};

function hasTag(tags: Record<string, string>, filter: string): boolean {
  const at = filter.indexOf("=");
  if (at < 0) return Object.hasOwn(tags, filter.trim());
  const key = filter.slice(0, at).trim();
  return Object.hasOwn(tags, key) && tags[key] === filter.slice(at + 1).trim();
}

/** Words a search matches: the id, name, addresses, and tag keys and values. */
function searchable(item: InventoryItem): string {
  const a = item.asset;
  const tags = Object.entries(a.tags).flat();
  return [a.id, a.name ?? "", ...a.addresses.private, ...a.addresses.public, ...tags]
    .join(" ")
    .toLowerCase();
}

/** Applies the explorer's filters to loaded assets. */
export function filterAssets(items: InventoryItem[], f: AssetFilters): InventoryItem[] {
  const words = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((item) => {
    const a = item.asset;
    if (f.provider && a.provider !== f.provider) return false;
    if (f.kind && a.kind !== f.kind) return false;
    if (f.region && a.region !== f.region) return false;
    if (f.accountId && item.accountId !== f.accountId) return false;
    if (f.tag && !hasTag(a.tags, f.tag)) return false;
    const text = words.length ? searchable(item) : "";
    return words.every((word) => text.includes(word));
  });
}

/** The distinct values of one field across assets, sorted, for the filter menus. */
export function distinct(items: InventoryItem[], pick: (item: InventoryItem) => string): string[] {
  return [...new Set(items.map(pick))].sort();
}
