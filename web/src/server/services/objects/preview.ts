import { type AddressObject, type Asset, DocumentError } from "@ringfence/engine/documents";
import { inScope, type ResolvedObject, resolvePolicy } from "@ringfence/engine/policy";
import {
  evaluateSelector,
  parseSelector,
  type SelectorNode,
  SelectorSyntaxError,
} from "@ringfence/engine/selector";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { decodeCursor, encodeCursor, type PageInput } from "../../http/pagination.ts";
import { fieldsOf } from "../policy/canonical.ts";
import { loadDraft } from "../policy/draft.ts";
import { loadInventory } from "../policy/inventory.ts";

type Scope = Extract<AddressObject, { kind: "dynamic" }>["scope"];

/** One matching asset, as the preview lists it. */
export interface PreviewAsset {
  id: string;
  name: string | null;
  kind: string;
  account: string;
  region: string;
  addresses: { private: string[]; public: string[] };
}

/** Parses a selector; a syntax error is a 400 naming the line, column and what was expected. */
export function parseOrRefuse(selector: string, path = "selector"): SelectorNode {
  try {
    return parseSelector(selector);
  } catch (error) {
    if (!(error instanceof SelectorSyntaxError)) throw error;
    const message = `${error.line}:${error.column}: expected ${error.expected} but found ${error.found}`;
    const fields = [{ location: "body", path, message }];
    throw new AppError("invalid_request", `Invalid selector at ${message}.`, {
      fields,
      cause: error,
    });
  }
}

function present(asset: Asset): PreviewAsset {
  const { id, kind, account, region, addresses } = asset;
  return { id, name: asset.name ?? null, kind, account, region, addresses };
}

/** The assets a selector matches now, ordered by asset id and paged by it. */
export async function previewSelector({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput & { selector: string; scope?: Scope }>) {
  const node = parseOrRefuse(input.selector);
  const after = decodeCursor(input.cursor);
  const { assets } = await loadInventory(ctx.db, ctx.organizationId);
  const matched = assets
    .filter((asset) => evaluateSelector(node, asset) && inScope(asset, input.scope))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after === undefined ? matched : matched.filter((asset) => asset.id > after);
  const items = rest.slice(0, input.limit).map(present);
  const last = items.at(-1);
  const nextCursor = rest.length > input.limit && last ? encodeCursor(last.id) : null;
  return { total: matched.length, items, nextCursor };
}

function membersOf(object: AddressObject, assets: readonly Asset[]): Set<string> {
  if (object.kind !== "dynamic") return new Set();
  const node = parseOrRefuse(object.selector, "selector");
  return new Set(
    assets.filter((a) => evaluateSelector(node, a) && inScope(a, object.scope)).map((a) => a.id),
  );
}

function resolvedAlone(objects: AddressObject[], id: string, assets: Asset[]): ResolvedObject {
  const policy = {
    schemaVersion: 1,
    objects,
    ruleSets: [{ id: "preview", defaultAction: "deny", rules: [] }],
  };
  let resolved: ReturnType<typeof resolvePolicy>;
  try {
    resolved = resolvePolicy(policy, { schemaVersion: 1, assets });
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    throw new AppError("invalid_request", error.message, {
      fields: fieldsOf(error.issues),
      cause: error,
    });
  }
  const found = resolved.objects.find((object) => object.id === id);
  if (found === undefined) throw new Error(`preview lost object ${id}`);
  return found;
}

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/**
 * What saving an edited address object would change: assets that would join or leave it (for
 * dynamic objects) and the address prefixes and host names added or removed (for every kind).
 */
export async function previewObjectEdit({
  ctx,
  input,
}: ServiceCall<OrgContext, { id: string; object: AddressObject }>) {
  const { policy } = await loadDraft(ctx.db, ctx.organizationId);
  const saved = policy.objects.find((object) => object.id === input.id);
  if (saved === undefined) {
    throw new AppError("not_found", `There is no address object "${input.id}" in the draft.`);
  }
  const edited = { ...input.object, id: input.id } as AddressObject;
  const { assets } = await loadInventory(ctx.db, ctx.organizationId);
  const before = membersOf(saved, assets);
  const after = membersOf(edited, assets);
  const others = policy.objects.filter((object) => object.id !== input.id);
  const old = resolvedAlone(policy.objects, input.id, assets);
  const next = resolvedAlone([...others, edited], input.id, assets);
  const hostsOf = (o: ResolvedObject) => o.hosts.flatMap((term) => term.include);
  return {
    assets: {
      added: [...after].filter((id) => !before.has(id)).sort(),
      removed: [...before].filter((id) => !after.has(id)).sort(),
    },
    prefixes: {
      added: minus(next.prefixes, old.prefixes),
      removed: minus(old.prefixes, next.prefixes),
    },
    hosts: {
      added: minus(hostsOf(next), hostsOf(old)),
      removed: minus(hostsOf(old), hostsOf(next)),
    },
  };
}
