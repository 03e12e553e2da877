import type { RuleSet } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { editDraft, loadDraft } from "../policy/draft.ts";
import { insertAt, reordered, ruleSetIn } from "./helpers.ts";

/** Rule set fields editable without touching its rules. */
export interface RuleSetHeader {
  name?: string | undefined;
  defaultAction: RuleSet["defaultAction"];
}

/** The draft's rule sets in evaluation order, each with its rules in order. */
export async function listRuleSets({ ctx }: ServiceCall<OrgContext, unknown>) {
  const { policy, revision } = await loadDraft(ctx.db, ctx.organizationId);
  return { items: policy.ruleSets, revision };
}

export async function getRuleSet({ ctx, input }: ServiceCall<OrgContext, { id: string }>) {
  const { policy, revision } = await loadDraft(ctx.db, ctx.organizationId);
  return { item: ruleSetIn(policy, input.id), revision };
}

/** Adds a rule set at `position` (default last); its id must be new. */
export async function createRuleSet({
  ctx,
  input,
}: ServiceCall<OrgContext, { ruleSet: RuleSet; position?: number | undefined }>) {
  const change = { action: "ruleset.create", targetType: "ruleset", targetId: input.ruleSet.id };
  const done = await editDraft(ctx, change, (policy) => {
    if (policy.ruleSets.some((set) => set.id === input.ruleSet.id)) {
      throw new AppError("conflict", `The draft already has a rule set "${input.ruleSet.id}".`);
    }
    insertAt(policy.ruleSets, input.ruleSet, input.position);
    return { policy, result: undefined };
  });
  return getRuleSet({ ctx, input: { id: input.ruleSet.id } }).then((r) => ({
    ...r,
    revision: done.revision,
  }));
}

/** Changes a rule set's name and default action; its rules stay as they are. */
export async function updateRuleSet({
  ctx,
  input,
}: ServiceCall<OrgContext, { id: string; header: RuleSetHeader }>) {
  const change = { action: "ruleset.update", targetType: "ruleset", targetId: input.id };
  const done = await editDraft(ctx, change, (policy) => {
    const set = ruleSetIn(policy, input.id);
    set.defaultAction = input.header.defaultAction;
    if (input.header.name === undefined) delete set.name;
    else set.name = input.header.name;
    return { policy, result: undefined };
  });
  return getRuleSet({ ctx, input }).then((r) => ({ ...r, revision: done.revision }));
}

export async function deleteRuleSet({ ctx, input }: ServiceCall<OrgContext, { id: string }>) {
  const change = { action: "ruleset.delete", targetType: "ruleset", targetId: input.id };
  const done = await editDraft(ctx, change, (policy) => {
    ruleSetIn(policy, input.id);
    policy.ruleSets = policy.ruleSets.filter((set) => set.id !== input.id);
    return { policy, result: undefined };
  });
  return { revision: done.revision };
}

/** Puts the rule sets in the order given (every id exactly once). */
export async function reorderRuleSets({ ctx, input }: ServiceCall<OrgContext, { ids: string[] }>) {
  const change = { action: "ruleset.reorder", targetType: "policy", targetId: ctx.organizationId };
  const done = await editDraft(ctx, change, (policy) => {
    policy.ruleSets = reordered(policy.ruleSets, input.ids, "rule sets");
    return { policy, result: undefined };
  });
  return listRuleSets({ ctx, input: undefined }).then((r) => ({ ...r, revision: done.revision }));
}
