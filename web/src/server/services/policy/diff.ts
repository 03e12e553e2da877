import type { Policy } from "@ringfence/engine/documents";
import { sortKeys } from "./canonical.ts";

/** Ids added, removed and changed in one kind of item. */
export interface Changes {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What differs between two policies, kind by kind; rules also report moves. */
export interface PolicyDiff {
  objects: Changes;
  services: Changes;
  profiles: Changes;
  ruleSets: Changes;
  rules: Changes & { moved: string[] };
  /** True when nothing at all differs. */
  empty: boolean;
}

function compare(before: Map<string, string>, after: Map<string, string>): Changes {
  const added = [...after.keys()].filter((id) => !before.has(id)).sort();
  const removed = [...before.keys()].filter((id) => !after.has(id)).sort();
  const changed = [...after.keys()]
    .filter((id) => before.has(id) && before.get(id) !== after.get(id))
    .sort();
  return { added, removed, changed };
}

const keyed = (items: readonly { id: string }[]) =>
  new Map(items.map((item) => [item.id, JSON.stringify(sortKeys(item))]));

/** Rule set headers only: their rules are compared one by one. */
const headers = (policy: Policy) =>
  keyed(policy.ruleSets.map(({ rules: _rules, ...header }) => header));

/**
 * Compares two canonical policies. A rule is changed when its content differs, and moved when
 * it sits in another rule set or at another position among the rules both versions keep.
 */
export function diffPolicies(before: Policy, after: Policy): PolicyDiff {
  const rulesOf = (p: Policy) => keyed(p.ruleSets.flatMap((set) => set.rules));
  const rules = compare(rulesOf(before), rulesOf(after));
  const kept = (p: Policy) =>
    p.ruleSets.flatMap((set) =>
      set.rules
        .filter((rule) => rulesOf(before).has(rule.id) && rulesOf(after).has(rule.id))
        .map((rule) => `${set.id}/${rule.id}`),
    );
  const beforeOrder = kept(before);
  const afterOrder = kept(after);
  const where = (order: string[]) => new Map(order.map((entry, i) => [entry.split("/")[1], i]));
  const was = where(beforeOrder);
  const moved = afterOrder
    .map((entry, i) => ({ id: entry.split("/")[1] ?? "", i, entry }))
    .filter(({ id, i, entry }) => was.get(id) !== i || !beforeOrder.includes(entry))
    .map(({ id }) => id)
    .sort();

  const diff = {
    objects: compare(keyed(before.objects), keyed(after.objects)),
    services: compare(keyed(before.services), keyed(after.services)),
    profiles: compare(keyed(before.profiles), keyed(after.profiles)),
    ruleSets: compare(headers(before), headers(after)),
    rules: { ...rules, moved },
  };
  const sizes = Object.values(diff).flatMap((c) => Object.values(c).map((ids) => ids.length));
  return { ...diff, empty: sizes.every((n) => n === 0) };
}
