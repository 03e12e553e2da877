export {
  type PolicyDraftRow,
  type PolicyVersionRow,
  policyDrafts,
  policyVersions,
} from "@ringfence/db";
