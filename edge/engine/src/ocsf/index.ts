/**
 * OCSF 1.8 builders: Ringfence's decision events as Network Activity (4001) or HTTP Activity
 * (4002) with one Detection Finding (2004) per detection, and audit-log entries as API Activity
 * (6003). Runtime-neutral, so gateways, workers and the control plane serialise alike.
 */
import type { DecisionEvent } from "../documents/index.ts";
import type { OcsfEvent } from "./common.ts";
import { detectionFindingOf } from "./finding.ts";
import { httpActivityOf, networkActivityOf, type OcsfBuildOptions } from "./network.ts";

export { type AuditRecord, apiActivityOf } from "./api-activity.ts";
export {
  OCSF_CLASSES,
  OCSF_VERSION,
  type OcsfClassUid,
  type OcsfEvent,
  SEVERITY_IDS,
} from "./common.ts";
export { detectionFindingOf } from "./finding.ts";
export {
  decisionSeverity,
  httpActivityOf,
  networkActivityOf,
  type OcsfBuildOptions,
} from "./network.ts";

/**
 * Every OCSF event one decision stands for: the activity (HTTP when the event carries a request,
 * Network otherwise) followed by one Detection Finding per detection, in the event's order.
 */
export function ocsfEventsOf(event: DecisionEvent, options: OcsfBuildOptions): OcsfEvent[] {
  const activity =
    event.http !== undefined || event.kind === "request"
      ? httpActivityOf(event, options)
      : networkActivityOf(event, options);
  const findings = (event.detections ?? []).map((d) => detectionFindingOf(event, d, options));
  return [activity, ...findings];
}
