import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AddressObject, Asset } from "@ringfence/engine/documents";
import { describe, expect, it } from "vitest";
import { lineDiff } from "../../src/ui/components/publish.tsx";
import { moved } from "../../src/ui/components/rule-sets.tsx";
import { sourceOf } from "../../src/ui/components/simulation.tsx";
import { filterAssets, NO_FILTERS } from "../../src/ui/inventory.ts";
import {
  checkSelector,
  containingObjects,
  matchingIds,
  membershipDiff,
} from "../../src/ui/selector.ts";
import type { InventoryItem } from "../../src/ui/types.ts";

async function fixtureAssets(): Promise<Asset[]> {
  const text = await readFile(join(import.meta.dirname, "fixtures", "acme-inventory.json"), "utf8");
  return (JSON.parse(text) as { assets: Asset[] }).assets;
}

const items = (assets: Asset[]): InventoryItem[] =>
  assets.map((asset, i) => ({ id: `inv_${i}`, accountId: "cla_1", asset, updatedAt: "" }));

describe("the console's own logic", () => {
  it("simulates from an address as typed and from anything else as an asset ID", () => {
    expect(sourceOf(" 10.20.2.30 ")).toEqual({ ip: "10.20.2.30" });
    expect(sourceOf("2001:db8::7")).toEqual({ ip: "2001:db8::7" });
    expect(sourceOf("::1")).toEqual({ ip: "::1" });
    for (const id of [
      "aws:210987654321:us-east-1:instance/i-0abc",
      "arn:aws:s3:::acme-internal-patches",
      "/subscriptions/5d3c/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm",
      "1234567890123",
      "cafe",
    ]) {
      expect(sourceOf(id)).toEqual({ assetId: id });
    }
  });

  it("reports a selector error with the position the engine's parser stopped at", () => {
    const check = checkSelector('tag.Role == "web" and');
    expect(check).toMatchObject({ ok: false, line: 1, column: 22 });
    expect(checkSelector('tag.Role == "web"')).toEqual({ ok: true });
  });

  it("previews membership and the diff an edit makes", async () => {
    const assets = await fixtureAssets();
    const before = matchingIds('tag.Role == "web"', undefined, assets);
    const after = matchingIds('tag.Env == "prod" or tag.Role == "batch"', undefined, assets);
    expect([...before].sort()).toEqual([assets[0]?.id, assets[1]?.id].sort());
    expect(membershipDiff(before, after)).toEqual({ added: [assets[2]?.id], removed: [] });
    expect(matchingIds('tag.Role == "web"', { regions: ["eu-west-1"] }, assets).size).toBe(0);
  });

  it("filters assets by tag pair, region and a search over addresses", async () => {
    const all = items(await fixtureAssets());
    expect(filterAssets(all, { ...NO_FILTERS, tag: "Role=web" })).toHaveLength(2);
    expect(filterAssets(all, { ...NO_FILTERS, tag: "Cost Center" })).toHaveLength(1);
    const found = filterAssets(all, { ...NO_FILTERS, region: "us-east-1", search: "10.0.2.11" });
    expect(found.map((i) => i.asset.name)).toEqual(["web-2"]);
  });

  it("finds the dynamic objects and the groups of them that take in an asset", async () => {
    const [web1] = await fixtureAssets();
    if (!web1) throw new Error("the fixture lost its first asset");
    const objects: AddressObject[] = [
      { id: "web", kind: "dynamic", selector: 'tag.Role == "web"' },
      { id: "batch", kind: "dynamic", selector: 'tag.Role == "batch"' },
      { id: "east", kind: "dynamic", selector: 'region == "us-east-1"' },
      { id: "fleet", kind: "group", include: ["web", "batch"] },
      { id: "fleet-not-east", kind: "group", include: ["fleet"], exclude: ["east"] },
      { id: "loop-a", kind: "group", include: ["loop-b"] },
      { id: "loop-b", kind: "group", include: ["loop-a"] },
      { id: "office", kind: "static", addresses: ["10.0.0.0/8"] },
    ];
    const ids = containingObjects(objects, web1).map((o) => o.id);
    expect({ region: web1.region, ids }).toEqual({
      region: "us-east-1",
      ids: ["web", "east", "fleet"],
    });
  });

  it("reorders rules by one step and leaves the ends in place", () => {
    expect(moved(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
  });

  it("diffs policy text by line", () => {
    expect(lineDiff("a\nb", "a\nc")).toEqual([
      { sign: "-", text: "b" },
      { sign: "+", text: "c" },
    ]);
  });
});
