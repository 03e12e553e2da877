import type { Policy, Rule } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { editDraft } from "../policy/draft.ts";
import { insertAt, reordered, ruleSetIn } from "./helpers.ts";

function ruleIn(policy: Policy, ruleSetId: string, ruleId: string) {
  const set = ruleSetIn(policy, ruleSetId);
  const index = set.rules.findIndex((rule) => rule.id === ruleId);
  if (index < 0) {
    throw new AppError("not_found", `There is no rule "${ruleId}" in rule set "${ruleSetId}".`);
  }
  return { set, index };
}

const audit = (action: string, ruleSetId: string, ruleId: string) => ({
  action: `rule.${action}`,
  targetType: "rule",
  targetId: `${ruleSetId}/${ruleId}`,
});

/** Adds a rule at `position` (default last); rule ids are unique across the whole policy. */
export async function createRule({
  ctx,
  input,
}: ServiceCall<OrgContext, { ruleSetId: string; rule: Rule; position?: number | undefined }>) {
  const done = await editDraft(ctx, audit("create", input.ruleSetId, input.rule.id), (policy) => {
    const set = ruleSetIn(policy, input.ruleSetId);
    if (policy.ruleSets.some((s) => s.rules.some((rule) => rule.id === input.rule.id))) {
      throw new AppError("conflict", `The draft already has a rule "${input.rule.id}".`);
    }
    insertAt(set.rules, input.rule, input.position);
    return { policy, result: set.rules.findIndex((rule) => rule.id === input.rule.id) };
  });
  return { item: input.rule, position: done.result, revision: done.revision };
}

/** Replaces a rule in place (its position is kept); the id cannot change. */
export async function updateRule({
  ctx,
  input,
}: ServiceCall<OrgContext, { ruleSetId: string; ruleId: string; rule: Rule }>) {
  if (input.rule.id !== input.ruleId) {
    const fields = [{ location: "body", path: "id", message: `must be "${input.ruleId}"` }];
    throw new AppError("invalid_request", "The id in the body differs from the path.", { fields });
  }
  const done = await editDraft(ctx, audit("update", input.ruleSetId, input.ruleId), (policy) => {
    const { set, index } = ruleIn(policy, input.ruleSetId, input.ruleId);
    set.rules[index] = input.rule;
    return { policy, result: index };
  });
  return { item: input.rule, position: done.result, revision: done.revision };
}

export async function deleteRule({
  ctx,
  input,
}: ServiceCall<OrgContext, { ruleSetId: string; ruleId: string }>) {
  const done = await editDraft(ctx, audit("delete", input.ruleSetId, input.ruleId), (policy) => {
    const { set, index } = ruleIn(policy, input.ruleSetId, input.ruleId);
    set.rules.splice(index, 1);
    return { policy, result: undefined };
  });
  return { revision: done.revision };
}

/** Puts a rule set's rules in the order given (every rule id exactly once). */
export async function reorderRules({
  ctx,
  input,
}: ServiceCall<OrgContext, { ruleSetId: string; ids: string[] }>) {
  const change = { action: "rule.reorder", targetType: "ruleset", targetId: input.ruleSetId };
  const done = await editDraft(ctx, change, (policy) => {
    const set = ruleSetIn(policy, input.ruleSetId);
    set.rules = reordered(set.rules, input.ids, "rules");
    return { policy, result: set };
  });
  return { item: done.result, revision: done.revision };
}
