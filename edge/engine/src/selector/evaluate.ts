import type { Asset } from "../documents/inventory.ts";
import type { CompareOp, SelectorKey, SelectorNode } from "./ast.ts";
import { globMatch } from "./glob.ts";
import { compareVersions, isVersion } from "./version.ts";

/**
 * Asset fields a bare key reads before falling back to `attributes`, so `region == "x"` means
 * the asset's region even if a connector also copied it into attributes.
 */
export const ASSET_FIELDS = [
  "id",
  "provider",
  "kind",
  "account",
  "region",
  "zone",
  "state",
  "name",
] as const;

const FIELD_SET: ReadonlySet<string> = new Set(ASSET_FIELDS);

/** The values a key has on an asset, or undefined when the asset lacks the key. */
export function lookupKey(asset: Asset, key: SelectorKey): readonly string[] | undefined {
  if (key.source === "tag") {
    return Object.hasOwn(asset.tags, key.name) ? [asset.tags[key.name] ?? ""] : undefined;
  }
  if (FIELD_SET.has(key.name)) {
    const value = asset[key.name as (typeof ASSET_FIELDS)[number]];
    return value === undefined ? undefined : [value];
  }
  if (!Object.hasOwn(asset.attributes, key.name)) return undefined;
  const value = asset.attributes[key.name];
  if (value === undefined) return undefined;
  return typeof value === "string" ? [value] : value;
}

/** True when one value satisfies a comparison (the positive form of `!=` is `==`). */
export function compareValue(op: CompareOp, actual: string, expected: string): boolean {
  switch (op) {
    case "==":
    case "!=":
      return actual === expected;
    case "~":
      return globMatch(expected, actual);
    case "~*":
      return globMatch(expected.toLowerCase(), actual.toLowerCase());
    case "startswith":
      return actual.startsWith(expected);
    case "endswith":
      return actual.endsWith(expected);
    default:
      return isVersion(actual) && versionHolds(op, compareVersions(actual, expected));
  }
}

function versionHolds(op: CompareOp, order: number): boolean {
  if (op === ">=") return order >= 0;
  if (op === "<=") return order <= 0;
  if (op === ">") return order > 0;
  return order < 0;
}

/**
 * Evaluates a selector on one asset. A predicate on a key the asset lacks is false for every
 * operator, `!=` and `not in` included; a list-valued attribute satisfies a positive predicate
 * when any element does, and `!=` / `not in` when no element matches.
 */
export function evaluateSelector(node: SelectorNode, asset: Asset): boolean {
  switch (node.type) {
    case "and":
      return node.operands.every((operand) => evaluateSelector(operand, asset));
    case "or":
      return node.operands.some((operand) => evaluateSelector(operand, asset));
    case "not":
      return !evaluateSelector(node.operand, asset);
    case "has":
      return lookupKey(asset, node.key) !== undefined;
    case "in": {
      const values = lookupKey(asset, node.key);
      if (values === undefined) return false;
      const hit = values.some((value) => node.values.includes(value));
      return node.negated ? !hit : hit;
    }
    case "compare": {
      const values = lookupKey(asset, node.key);
      if (values === undefined) return false;
      const hit = values.some((value) => compareValue(node.op, value, node.value));
      return node.op === "!=" ? !hit : hit;
    }
  }
}
