/** How bad a detection is; it feeds the anomaly score of the WAF. */
export type Severity = "low" | "medium" | "high" | "critical";

/** What a profile does with a detection of one of its rules. */
export type DetectionAction = "log" | "block" | "redact";

/** The category vocabulary shared by WAF, IPS, DLP and malware detections. */
export type Category =
  | "ssrf"
  | "lfi"
  | "rfi"
  | "sqli"
  | "xss"
  | "rce"
  | "php"
  | "java"
  | "ssti"
  | "prototype-pollution"
  | "node-injection"
  | "ruby-injection"
  | "session-fixation"
  | "protocol"
  | "scanner"
  | "ips"
  | "dlp"
  | "malware";

/**
 * One finding, in the shape that goes into the decision event. `evidence` is always redacted or
 * truncated so that an event never carries a full secret or a full attacker payload.
 */
export interface Detection {
  id: string;
  category: Category | string;
  location: string;
  evidence: string;
  severity: Severity;
  action: DetectionAction;
}

/** The runtime-neutral request the inspection engine reads. */
export interface InspectRequest {
  method: string;
  /** The request-target exactly as received (origin form, absolute form or `*`). */
  target: string;
  headers: [string, string][];
  body: Uint8Array;
  /** The client address, used by IPS suppressions scoped to a source prefix. */
  sourceIp?: string;
}

/** The response parts that IPS signatures may read. */
export interface InspectResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** Anomaly score points per severity, in the spirit of CRS's critical=5 / error=4 / warning=3. */
export const SEVERITY_SCORE: Record<Severity, number> = {
  critical: 5,
  high: 4,
  medium: 3,
  low: 2,
};

/** Cuts evidence to a readable, bounded length and removes control characters. */
export function clipEvidence(text: string, max = 80): string {
  const clean = [...text]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? " " : c))
    .join("");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
