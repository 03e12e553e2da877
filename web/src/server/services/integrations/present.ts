import type { OrgContext } from "../../context.ts";
import type { IntegrationRow } from "../outbox/tables.ts";
import type { ReportRuntime } from "./runtime.ts";

/** An organisation context carrying the report runtime. */
export type ReportContext = OrgContext & { report: ReportRuntime };

/** An integration as the API shows it: never its secret, only whether one is stored. */
export function presentIntegration(row: IntegrationRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    target: row.target,
    hasSecret: row.sealedSecret !== null,
    classes: row.classes,
    minSeverity: row.minSeverity,
    includeAudit: row.includeAudit,
    enabled: row.enabled,
    deadLetterAfterSeconds: row.deadLetterAfterSeconds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type IntegrationView = ReturnType<typeof presentIntegration>;
