import type { OcsfEvent } from "@ringfence/engine/ocsf";

/**
 * The wire formats of the three integration kinds, built from OCSF events. Pure functions: the
 * transports add framing, signatures and credentials.
 */

/** The Standard Webhooks message body: a type, a timestamp and the OCSF events as data. */
export function webhookBody(events: readonly OcsfEvent[], now: Date): string {
  return JSON.stringify({ type: "ringfence.ocsf", timestamp: now.toISOString(), data: events });
}

/** Splunk HEC's batch form: one JSON event envelope per line, time in epoch seconds. */
export function hecBody(events: readonly OcsfEvent[]): string {
  return events
    .map((event) =>
      JSON.stringify({
        time: Number(event.time) / 1000,
        source: "ringfence",
        sourcetype: `ocsf:${event.class_uid}`,
        event,
      }),
    )
    .join("\n");
}

/** CEF header fields escape backslash and pipe. */
function cefHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/[\r\n]/g, " ");
}

/** CEF extension values escape backslash and equals, and encode line breaks. */
function cefValue(value: unknown): string {
  return String(value)
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, "\\n");
}

function field(event: OcsfEvent, ...path: string[]): unknown {
  let value: unknown = event;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** CEF severity runs 0–10; OCSF's 1 (Informational) … 5 (Critical) are spread across it. */
function cefSeverity(severityId: number): number {
  return Math.min(10, Math.max(0, severityId * 2));
}

/** One OCSF event as a CEF line; the OCSF uid goes in `externalId` so receivers can dedupe. */
export function cefLine(event: OcsfEvent, productVersion: string): string {
  const extension: [string, unknown][] = [
    ["rt", event.time],
    ["externalId", field(event, "metadata", "uid")],
    ["cat", event.class_name],
    ["act", event.action ?? event.disposition],
    ["src", field(event, "src_endpoint", "ip")],
    ["spt", field(event, "src_endpoint", "port")],
    ["dst", field(event, "dst_endpoint", "ip")],
    ["dhost", field(event, "dst_endpoint", "hostname")],
    ["dpt", field(event, "dst_endpoint", "port")],
    ["requestMethod", field(event, "http_request", "http_method")],
    ["request", field(event, "http_request", "url", "url_string")],
    ["cs1Label", "rule"],
    ["cs1", field(event, "firewall_rule", "uid") ?? field(event, "firewall_rule", "name")],
    ["cs2Label", "finding"],
    ["cs2", field(event, "finding_info", "title")],
    ["suser", field(event, "actor", "user", "uid") ?? field(event, "actor", "app_uid")],
  ];
  const text = extension
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${cefValue(value)}`)
    .join(" ");
  const header = [
    "CEF:0",
    "Ringfence",
    "Ringfence",
    cefHeader(productVersion),
    String(event.type_uid),
    cefHeader(String(event.type_name ?? event.class_name)),
    String(cefSeverity(event.severity_id)),
  ].join("|");
  return `${header}|${text}`;
}

/**
 * One syslog frame (RFC 5424 message, RFC 6587 octet counting): the length in bytes, a space,
 * then the message. Facility local0; the syslog severity follows the OCSF severity.
 */
export function syslogFrame(event: OcsfEvent, productVersion: string): Buffer {
  const severity = event.severity_id >= 4 ? 2 : event.severity_id >= 3 ? 4 : 6;
  const priority = 16 * 8 + severity;
  const time = new Date(Number(event.time)).toISOString();
  const message = `<${priority}>1 ${time} ringfence ringfence - ${event.class_uid} - ${cefLine(event, productVersion)}`;
  const bytes = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${bytes.length} `, "ascii"), bytes]);
}
