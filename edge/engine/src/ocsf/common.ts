import type { DecisionEvent, Severity } from "../documents/index.ts";

/** The OCSF release every builder targets. */
export const OCSF_VERSION = "1.8.0";

/** Class uids Ringfence emits: category uid × 1000 + the class's own uid. */
export const OCSF_CLASSES = {
  networkActivity: 4001,
  httpActivity: 4002,
  detectionFinding: 2004,
  apiActivity: 6003,
} as const;
export type OcsfClassUid = (typeof OCSF_CLASSES)[keyof typeof OCSF_CLASSES];

/** One OCSF event as a plain JSON object; the class uid and severity are typed for filters. */
export interface OcsfEvent {
  class_uid: OcsfClassUid;
  severity_id: number;
  [attribute: string]: unknown;
}

/** OCSF `severity_id` for each detection severity (2 Low … 5 Critical). */
export const SEVERITY_IDS: Readonly<Record<Severity, number>> = {
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

/** Names of `severity_id` values, as OCSF captions them, for the `severity` sibling. */
const SEVERITY_NAMES: Readonly<Record<number, string>> = {
  1: "Informational",
  2: "Low",
  3: "Medium",
  4: "High",
  5: "Critical",
};

/** The severity caption for a `severity_id`; unmapped ids read as "Other". */
export function severityName(id: number): string {
  return SEVERITY_NAMES[id] ?? "Other";
}

/** The product block every Ringfence event carries in `metadata`. */
export function metadataOf(uid: string, productVersion: string, extra: object = {}) {
  return {
    version: OCSF_VERSION,
    uid,
    product: { name: "Ringfence", vendor_name: "Ringfence", version: productVersion },
    ...extra,
  };
}

/**
 * The `class_uid`, `category_uid`, `activity_id` and `type_uid` group with their captions;
 * `type_uid` is class uid × 100 + activity id by the schema's definition.
 */
export function classifierOf(
  classUid: OcsfClassUid,
  className: string,
  categoryName: string,
  activity: { id: number; name: string },
) {
  return {
    class_uid: classUid,
    class_name: className,
    category_uid: Math.floor(classUid / 1000),
    category_name: categoryName,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: classUid * 100 + activity.id,
    type_name: `${className}: ${activity.name}`,
  };
}

/**
 * The security-control verdict: `action_id` says whether traffic passed; `disposition_id` says
 * what Ringfence did, so a monitored violation reads "Allowed" and "Detected".
 */
export function verdictOf(action: DecisionEvent["action"]) {
  if (action === "deny") {
    return { action_id: 2, action: "Denied", disposition_id: 2, disposition: "Blocked" };
  }
  if (action === "monitor") {
    return { action_id: 1, action: "Allowed", disposition_id: 15, disposition: "Detected" };
  }
  return { action_id: 1, action: "Allowed", disposition_id: 1, disposition: "Allowed" };
}

/** Milliseconds since the epoch, OCSF's `timestamp_t`. */
export function epochMs(iso: string): number {
  return new Date(iso).getTime();
}
