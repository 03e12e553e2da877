/** Shapes of the integrations routes (docs/report.md, Integrations) as the console reads them. */

export type IntegrationKind = "webhook" | "splunk_hec" | "syslog";

export interface Integration {
  id: string;
  name: string;
  kind: IntegrationKind;
  target: string;
  hasSecret: boolean;
  classes: number[];
  minSeverity: number;
  includeAudit: boolean;
  enabled: boolean;
  deadLetterAfterSeconds: number;
  createdAt: string;
  updatedAt: string;
}

/** What creating answers: a generated webhook secret comes back this once, else null. */
export interface CreatedIntegration extends Integration {
  secret: string | null;
}

export type DeliveryState = "pending" | "delivered" | "dead";

export interface Delivery {
  id: number;
  source: string;
  eventId: string | null;
  auditId: string | null;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt: string | null;
}

export interface Attempt {
  id: number;
  items: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: string;
}

/** What "Send test event" answers: the receiver's status, or why nothing was sent. */
export interface TestSendResult {
  ok: boolean;
  outcome: "delivered" | "failed" | "blocked";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  eventUid: string;
}

export const KINDS: readonly { value: IntegrationKind; label: string; target: string }[] = [
  { value: "webhook", label: "Webhook", target: "https://siem.example/hooks/ringfence" },
  { value: "splunk_hec", label: "Splunk HEC", target: "https://splunk.example:8088" },
  { value: "syslog", label: "Syslog (TCP or TLS)", target: "tls://syslog.example:6514" },
];

/** OCSF severity ids (0 unknown … 6 fatal): the least an event needs to be sent. */
export const SEVERITIES = [
  { value: "0", label: "Everything" },
  { value: "1", label: "Informational and up" },
  { value: "2", label: "Low and up" },
  { value: "3", label: "Medium and up" },
  { value: "4", label: "High and up" },
  { value: "5", label: "Critical and up" },
];

/** The editable settings shared by the create and edit forms, as the form holds them. */
export interface IntegrationSettings {
  name: string;
  target: string;
  minSeverity: string;
  includeAudit: boolean;
  enabled: boolean;
  deadLetterMinutes: string;
}

export function settingsOf(integration: Integration): IntegrationSettings {
  return {
    name: integration.name,
    target: integration.target,
    minSeverity: String(integration.minSeverity),
    includeAudit: integration.includeAudit,
    enabled: integration.enabled,
    deadLetterMinutes: String(integration.deadLetterAfterSeconds / 60),
  };
}

/** The settings as the API takes them; a non-number horizon is left for the API to name. */
export function bodyOf(settings: IntegrationSettings) {
  return {
    name: settings.name,
    target: settings.target,
    minSeverity: Number(settings.minSeverity),
    includeAudit: settings.includeAudit,
    enabled: settings.enabled,
    deadLetterAfterSeconds: Math.round(Number(settings.deadLetterMinutes) * 60),
  };
}
