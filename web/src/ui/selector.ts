import type { AddressObject, Asset } from "@ringfence/engine/documents";
import { evaluateSelector, parseSelector, SelectorSyntaxError } from "@ringfence/engine/selector";

/** A selector's parse outcome for the editor: ok, or the error and where it is. */
export type SelectorCheck =
  | { ok: true }
  | { ok: false; message: string; offset: number; line: number; column: number };

/**
 * Parses a selector with the engine's own parser, so the editor marks exactly the position the
 * server would refuse, without a round trip per keystroke.
 */
export function checkSelector(source: string): SelectorCheck {
  try {
    parseSelector(source);
    return { ok: true };
  } catch (error) {
    if (error instanceof SelectorSyntaxError) {
      const { offset, line, column, expected, found } = error;
      return {
        ok: false,
        message: `expected ${expected} but found ${found}`,
        offset,
        line,
        column,
      };
    }
    return { ok: false, message: String(error), offset: 0, line: 1, column: 1 };
  }
}

type Scope = Extract<AddressObject, { kind: "dynamic" }>["scope"];

function inScope(asset: Asset, scope: Scope): boolean {
  if (!scope) return true;
  if (scope.accounts && !scope.accounts.includes(asset.account)) return false;
  if (scope.regions && !scope.regions.includes(asset.region)) return false;
  if (scope.vpcs) {
    const vpc = asset.attributes.vpc ?? asset.attributes.vnet;
    const values = Array.isArray(vpc) ? vpc : vpc ? [vpc] : [];
    if (!values.some((v) => scope.vpcs?.includes(v))) return false;
  }
  return true;
}

/**
 * Whether a dynamic object selects the asset, judged locally by the engine's evaluator. Other
 * kinds are resolved by address on the server and answer null ("not judged here").
 */
export function objectSelects(object: AddressObject, asset: Asset): boolean | null {
  if (object.kind !== "dynamic") return null;
  try {
    return inScope(asset, object.scope) && evaluateSelector(parseSelector(object.selector), asset);
  } catch {
    return false;
  }
}

/** The assets a selector (with a scope) takes in, by asset id; empty when it does not parse. */
export function matchingIds(selector: string, scope: Scope, assets: readonly Asset[]): Set<string> {
  try {
    const node = parseSelector(selector);
    return new Set(
      assets.filter((a) => inScope(a, scope) && evaluateSelector(node, a)).map((a) => a.id),
    );
  } catch {
    return new Set();
  }
}

/** What changing `before` into `after` adds to and removes from an object's membership. */
export function membershipDiff(before: Set<string>, after: Set<string>) {
  return {
    added: [...after].filter((id) => !before.has(id)).sort(),
    removed: [...before].filter((id) => !after.has(id)).sort(),
  };
}

/**
 * The objects that take in the asset: dynamic objects whose selector (and scope) select it, and
 * groups with a member among those and none of their exclusions. A group that refers back to
 * itself through others counts as not containing it, so a cycle cannot loop.
 */
export function containingObjects(
  objects: readonly AddressObject[],
  asset: Asset,
): AddressObject[] {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const judged = new Map<string, boolean>();
  const contains = (id: string): boolean => {
    const known = judged.get(id);
    if (known !== undefined) return known;
    judged.set(id, false);
    const object = byId.get(id);
    let inside = false;
    if (object?.kind === "dynamic") inside = objectSelects(object, asset) === true;
    if (object?.kind === "group") {
      inside = object.include.some(contains) && !(object.exclude ?? []).some(contains);
    }
    judged.set(id, inside);
    return inside;
  };
  return objects.filter((o) => contains(o.id));
}
