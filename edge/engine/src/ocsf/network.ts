import type { DecisionEvent } from "../documents/index.ts";
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

const HTTP_ACTIVITIES: Readonly<Record<string, number>> = {
  CONNECT: 1,
  DELETE: 2,
  GET: 3,
  HEAD: 4,
  OPTIONS: 5,
  POST: 6,
  PUT: 7,
  TRACE: 8,
  PATCH: 9,
};

/** Options shared by the builders: the version of the software that emits the event. */
export interface OcsfBuildOptions {
  productVersion: string;
}

/** The source and destination endpoints; a destination known by nothing is left out. */
export function endpointsOf(event: DecisionEvent) {
  const src = {
    ip: event.src.ip,
    ...(event.src.port === undefined ? {} : { port: event.src.port }),
  };
  const hostname = event.dst.host ?? event.dst.sni;
  const known = hostname !== undefined || event.dst.ip !== undefined;
  const dst = {
    ...(event.dst.ip === undefined ? {} : { ip: event.dst.ip }),
    ...(hostname === undefined ? {} : { hostname }),
    port: event.dst.port,
  };
  return { src_endpoint: src, ...(known ? { dst_endpoint: dst } : {}) };
}

/**
 * Ringfence's reasons in the fields OCSF gives them: the matching rule in `firewall_rule` (the
 * source objects that matched as its `match_details`), the rule set in `policy`. The enforcement
 * mode has no OCSF attribute, so it alone goes to `unmapped`.
 */
export function reasonsOf(event: DecisionEvent) {
  const { reasons } = event;
  const rule = reasons.ruleId
    ? { uid: reasons.ruleId, type: "ringfence-rule" }
    : reasons.refused
      ? { name: "refused", type: "refused", desc: reasons.refused }
      : { name: "default deny", type: "default" };
  const firewallRule = {
    ...rule,
    match_details: reasons.sourceObjects,
    ...(reasons.destination === undefined ? {} : { match_location: reasons.destination }),
  };
  const policy = reasons.ruleSetId ? { policy: { uid: reasons.ruleSetId, is_applied: true } } : {};
  const unmapped = { ringfence: { mode: reasons.mode, monitor: reasons.monitor } };
  return { firewall_rule: firewallRule, ...policy, unmapped };
}

/** Severity of a decision: the worst detection, else Medium for a deny, Informational otherwise. */
export function decisionSeverity(event: DecisionEvent): number {
  const worst = Math.max(0, ...(event.detections ?? []).map((d) => SEVERITY_IDS[d.severity]));
  if (worst > 0) return worst;
  return event.action === "deny" ? 3 : 1;
}

function commonOf(event: DecisionEvent, options: OcsfBuildOptions) {
  const severityId = decisionSeverity(event);
  const traffic = event.bytes
    ? { traffic: { bytes_in: event.bytes.in, bytes_out: event.bytes.out } }
    : {};
  return {
    time: epochMs(event.time),
    severity_id: severityId,
    severity: severityName(severityId),
    metadata: metadataOf(event.id, options.productVersion, {
      profiles: ["security_control"],
      log_provider: event.enforcer.id,
    }),
    ...verdictOf(event.action),
    ...endpointsOf(event),
    ...reasonsOf(event),
    ...traffic,
  };
}

/** Network Activity (4001) for a connection decision: opened when allowed, refused when denied. */
export function networkActivityOf(event: DecisionEvent, options: OcsfBuildOptions): OcsfEvent {
  const activity = event.action === "deny" ? { id: 5, name: "Refuse" } : { id: 1, name: "Open" };
  return {
    ...classifierOf(OCSF_CLASSES.networkActivity, "Network Activity", "Network Activity", activity),
    ...commonOf(event, options),
  };
}

/** The `http_request` object of an event with an HTTP part, the URL broken into its parts. */
function httpRequestOf(http: NonNullable<DecisionEvent["http"]>) {
  const url: Record<string, unknown> = { url_string: http.url };
  try {
    const parsed = new URL(http.url);
    url.scheme = parsed.protocol.slice(0, -1);
    url.hostname = parsed.hostname;
    url.path = parsed.pathname;
    if (parsed.search !== "") url.query_string = parsed.search.slice(1);
    if (parsed.port !== "") url.port = Number(parsed.port);
  } catch {
    // A URL the enforcer saw but WHATWG cannot parse is kept whole as evidence; its parts stay
    // absent rather than guessed.
  }
  // OCSF's method enum has no "Other": a method outside it is named by the activity alone.
  const method = http.method.toUpperCase();
  return { ...(method in HTTP_ACTIVITIES ? { http_method: method } : {}), url };
}

/** HTTP Activity (4002) for a request decision; the activity is the request's method. */
export function httpActivityOf(event: DecisionEvent, options: OcsfBuildOptions): OcsfEvent {
  const http = event.http ?? { method: "CONNECT", url: `https://${event.dst.host ?? ""}` };
  const method = http.method.toUpperCase();
  const activityId = HTTP_ACTIVITIES[method] ?? 99;
  const activity = { id: activityId, name: activityId === 99 ? method : titleCase(method) };
  const response = http.status === undefined ? {} : { http_response: { code: http.status } };
  return {
    ...classifierOf(OCSF_CLASSES.httpActivity, "HTTP Activity", "Network Activity", activity),
    ...commonOf(event, options),
    http_request: httpRequestOf(http),
    ...response,
  };
}

function titleCase(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase();
}
