// FIXME(deploy): import these from "@ringfence/db" once db/src/schema/index.ts re-exports
// ./policy.ts (one line, owned by the Foundation); until then the path reaches into the schema
// folder, and this file is the only place that does.
export {
  type PolicyDraftRow,
  type PolicyVersionRow,
  policyDrafts,
  policyVersions,
} from "../../../../../db/src/schema/policy.ts";
