import type { Policy, RuleSet } from "@ringfence/engine/documents";
import { AppError } from "../../errors.ts";

/** The rule set with this id in the draft; 404 when there is none. */
export function ruleSetIn(policy: Policy, id: string): RuleSet {
  const set = policy.ruleSets.find((candidate) => candidate.id === id);
  if (set === undefined) throw new AppError("not_found", `There is no rule set "${id}".`);
  return set;
}

export function insertAt<T>(list: T[], item: T, position: number | undefined): void {
  const at = position === undefined ? list.length : Math.min(position, list.length);
  list.splice(at, 0, item);
}

/** The permutation `ids` applied to `list`; anything but a permutation is a 400. */
export function reordered<T extends { id: string }>(list: T[], ids: string[], what: string): T[] {
  const current = list.map((item) => item.id).sort();
  const proposed = [...ids].sort();
  if (current.length !== proposed.length || current.some((id, i) => id !== proposed[i])) {
    const message = `must list each of the ${list.length} ${what} exactly once`;
    const fields = [{ location: "body", path: "ids", message }];
    throw new AppError("invalid_request", `The new order ${message}.`, { fields });
  }
  return ids.map((id) => list.find((item) => item.id === id) as T);
}
