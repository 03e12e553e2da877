import type { DecisionEvent, Detection } from "../documents/index.ts";
import {
  classifierOf,
  epochMs,
  metadataOf,
  OCSF_CLASSES,
  type OcsfEvent,
  SEVERITY_IDS,
  severityName,
  verdictOf,
} from "./common.ts";
import { endpointsOf, type OcsfBuildOptions, reasonsOf } from "./network.ts";

/**
 * Detection Finding (2004) for one WAF, IPS, DLP or malware hit. Each detection becomes its own
 * finding (uid `<event id>:<detection id>`) so a SIEM can count and route them one by one; the
 * decision event it belongs to is named in `metadata.correlation_uid`.
 */
export function detectionFindingOf(
  event: DecisionEvent,
  detection: Detection,
  options: OcsfBuildOptions,
): OcsfEvent {
  const uid = `${event.id}:${detection.id}`;
  const severityId = SEVERITY_IDS[detection.severity];
  const url = event.http ? { url: { url_string: event.http.url } } : {};
  return {
    ...classifierOf(OCSF_CLASSES.detectionFinding, "Detection Finding", "Findings", {
      id: 1,
      name: "Create",
    }),
    time: epochMs(event.time),
    severity_id: severityId,
    severity: severityName(severityId),
    status_id: 1,
    status: "New",
    is_alert: detection.action !== "allow",
    metadata: metadataOf(uid, options.productVersion, {
      profiles: ["security_control"],
      correlation_uid: event.id,
      log_provider: event.enforcer.id,
    }),
    finding_info: {
      uid,
      title: `${detection.category} detection ${detection.id}`,
      types: [detection.category],
      analytic: { uid: detection.id, category: detection.category, type_id: 1, type: "Rule" },
    },
    evidences: [
      {
        ...endpointsOf(event),
        ...url,
        data: { location: detection.location, evidence: detection.evidence },
      },
    ],
    ...verdictOf(detection.action),
    ...endpointsOf(event),
    ...reasonsOf(event),
  };
}
