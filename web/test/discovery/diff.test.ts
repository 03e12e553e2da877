import type { Asset } from "@ringfence/engine/documents";
import { describe, expect, it } from "vitest";
import { assetHash, assetScope, diffInventory } from "../../src/server/discovery/diff.ts";

const asset = (id: string, region: string, app = "web"): Asset => ({
  id,
  provider: "aws",
  kind: "instance",
  account: "111122223333",
  region,
  addresses: { private: ["10.0.0.1"], public: [] },
  attributes: {},
  tags: { app },
});

const known = (a: Asset) => ({ cloudId: a.id, hash: assetHash(a), scope: assetScope(a) });

describe("inventory diff by stable cloud id", () => {
  it("reports added, changed and removed, and counts the unchanged", () => {
    const a = asset("i-a", "us-east-1");
    const b = asset("i-b", "us-east-1");
    const c = asset("i-c", "us-east-1");
    const diff = diffInventory(
      [known(a), known(b)],
      [a, { ...b, tags: { app: "db" } }, c],
      ["region:us-east-1"],
    );
    expect(diff.added.map((x) => x.asset.id)).toEqual(["i-c"]);
    expect(diff.changed.map((x) => x.asset.id)).toEqual(["i-b"]);
    expect(diff.removed).toEqual([]);
    expect(diff.unchanged).toBe(1);
  });

  it("removes only from scopes that were read completely", () => {
    const east = asset("i-east", "us-east-1");
    const west = asset("i-west", "eu-west-1");
    const diff = diffInventory([known(east), known(west)], [], ["region:us-east-1"]);
    expect(diff.removed).toEqual(["i-east"]);
  });

  it("hashes independently of key order", () => {
    const a = asset("i-a", "us-east-1");
    const reordered = {
      tags: a.tags,
      attributes: a.attributes,
      addresses: a.addresses,
      region: a.region,
      account: a.account,
      kind: a.kind,
      provider: a.provider,
      id: a.id,
    };
    expect(assetHash(reordered)).toBe(assetHash(a));
  });
});
