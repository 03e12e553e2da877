import type { DecisionEvent } from "@ringfence/engine/documents";

/** How many events `decisionEvents` makes, and how many of each verdict and detection. */
export const EVENT_COUNT = 30;
export const PER_ACTION = 10;
export const DETECTIONS = 6;
export const DENIED_SOURCE = "10.9.0.66";

function reasonsFor(action: DecisionEvent["action"]): DecisionEvent["reasons"] {
  if (action === "deny") {
    return {
      ruleSetId: "guard",
      sourceObjects: [],
      mode: "forwarding",
      monitor: false,
      default: true,
    };
  }
  if (action === "allow") {
    return {
      ruleId: "web-app-inbound",
      ruleSetId: "workloads",
      sourceObjects: ["web-app"],
      destination: "link-preview-app",
      mode: "proxy",
      monitor: false,
    };
  }
  return {
    ruleId: "analytics-reads-customer-data",
    ruleSetId: "workloads",
    sourceObjects: ["analytics"],
    destination: "customer-data",
    mode: "proxy",
    monitor: true,
  };
}

/**
 * A minute-by-minute hour of decisions from one enforcer: every third denied from one source
 * by the default rule, the others allowed or monitored by named rules, and every fifth an HTTP
 * request carrying a WAF detection. The counts above are what the console must show.
 */
export function decisionEvents(enforcerId: string, now: Date): DecisionEvent[] {
  return Array.from({ length: EVENT_COUNT }, (_, i) => {
    const action = (["deny", "allow", "monitor"] as const)[i % 3] ?? "deny";
    const detected = i % 5 === 0;
    return {
      schemaVersion: 1,
      id: crypto.randomUUID(),
      time: new Date(now.getTime() - (i + 1) * 60_000).toISOString(),
      enforcer: { id: enforcerId, kind: "gateway" },
      kind: detected ? "request" : "connection",
      action,
      src: { ip: action === "deny" ? DENIED_SOURCE : `10.1.0.${i + 1}`, port: 40_000 + i },
      dst: { host: action === "deny" ? "exfil.example.net" : "api.example.com", port: 443 },
      ...(detected
        ? {
            http: { method: "GET", url: `/search?id=${i}`, status: 403 },
            detections: [
              {
                id: "waf-942100",
                category: "sqli",
                location: "query.id",
                evidence: "1' OR '1'='1",
                severity: "critical",
                action,
              },
            ],
          }
        : {}),
      reasons: reasonsFor(action),
    };
  });
}
