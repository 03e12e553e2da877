import { classifierOf, metadataOf, OCSF_CLASSES, type OcsfEvent, severityName } from "./common.ts";

/**
 * One audit-log entry as the control plane records it. Declared here rather than imported so the
 * engine keeps importing nothing of ours; the control plane maps its rows onto it.
 */
export interface AuditRecord {
  id: string;
  organizationId: string;
  actorType: "user" | "api_key" | "system" | string;
  actorId: string;
  /** `<entity>.<verb>`, for example `integration.create`. */
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  createdAt: Date;
}

const VERBS: Readonly<Record<string, { id: number; name: string }>> = {
  create: { id: 1, name: "Create" },
  read: { id: 2, name: "Read" },
  update: { id: 3, name: "Update" },
  delete: { id: 4, name: "Delete" },
};

/** The CRUD activity of an audit action (`member.update` → Update); other verbs are Other. */
function activityOf(action: string) {
  const verb = action.slice(action.lastIndexOf(".") + 1);
  return VERBS[verb] ?? { id: 99, name: verb };
}

/** Who acted: people as `user`, API keys and the system as the application that acted. */
function actorOf(record: AuditRecord) {
  if (record.actorType === "user") {
    return { user: { uid: record.actorId, type_id: 1, type: "User" } };
  }
  return { app_uid: record.actorId, app_name: `ringfence ${record.actorType}` };
}

/**
 * API Activity (6003) for one audit-log entry. The audit log keeps no caller address, so the
 * source endpoint names the calling principal by uid; the request id correlates the entry with
 * the request's log line.
 */
export function apiActivityOf(record: AuditRecord, productVersion: string): OcsfEvent {
  const correlation = record.requestId === null ? {} : { correlation_uid: record.requestId };
  const request = record.requestId === null ? {} : { request: { uid: record.requestId } };
  return {
    ...classifierOf(
      OCSF_CLASSES.apiActivity,
      "API Activity",
      "Application Activity",
      activityOf(record.action),
    ),
    time: record.createdAt.getTime(),
    severity_id: 1,
    severity: severityName(1),
    status_id: 1,
    status: "Success",
    metadata: metadataOf(record.id, productVersion, {
      tenant_uid: record.organizationId,
      ...correlation,
    }),
    actor: actorOf(record),
    api: { operation: record.action, service: { name: "ringfence-control-plane" }, ...request },
    src_endpoint: { uid: record.actorId },
    resources: [{ uid: record.targetId, type: record.targetType }],
  };
}
