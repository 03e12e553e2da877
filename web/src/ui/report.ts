/** Shapes of the analytics and events routes (docs/report.md) as the console reads them. */

export type Action = "allow" | "deny" | "monitor";

export interface DecisionBucket {
  bucket: string;
  allow: number;
  deny: number;
  monitor: number;
}

export interface Decisions {
  from: string;
  to: string;
  bucket: "hour" | "day";
  items: DecisionBucket[];
}

export interface EndpointCount {
  value: string;
  events: number;
}

export interface RuleHit {
  ruleId: string | null;
  hits: number;
  firstHit: string;
  lastHit: string;
}

export interface DetectionCount {
  category: string;
  severity: string;
  events: number;
}

export interface Detection {
  id: string;
  category: string;
  location: string;
  evidence: string;
  severity: string;
  action: Action;
}

export interface EventReasons {
  ruleId?: string;
  ruleSetId?: string;
  sourceObjects: string[];
  destination?: string;
  mode: "forwarding" | "proxy";
  monitor: boolean;
  default?: boolean;
}

/** A stored decision event as the events list presents it. */
export interface StoredEvent {
  id: string;
  time: string;
  enforcerId: string;
  kind: "connection" | "request" | "detection";
  action: Action;
  srcIp: string;
  dstHost: string | null;
  dstPort: number;
  ruleId: string | null;
  receivedAt: string;
}

/** One event with its reasons, detections and the OCSF events it is exported as. */
export interface EventDetail extends StoredEvent {
  event: { http?: { method: string; url: string; status?: number } };
  reasons: EventReasons;
  detections: Detection[];
  ocsf: unknown[];
}

/** The time ranges the analytics page offers, with the bucket that keeps charts readable. */
export const RANGES = [
  { value: "1h", label: "Last hour", hours: 1, bucket: "hour" },
  { value: "24h", label: "Last 24 hours", hours: 24, bucket: "hour" },
  { value: "7d", label: "Last 7 days", hours: 168, bucket: "day" },
  { value: "30d", label: "Last 30 days", hours: 720, bucket: "day" },
] as const;

export type RangeValue = (typeof RANGES)[number]["value"];

/**
 * The analytics window of a range ending at `now`. The start is cut to the hour, because the
 * rollups behind analytics count whole hours and a chart should not open on a partial bar.
 */
export function windowOf(value: RangeValue, now: Date) {
  const range = RANGES.find((r) => r.value === value) ?? RANGES[1];
  const from = new Date(now.getTime() - range.hours * 3_600_000);
  from.setUTCMinutes(0, 0, 0);
  return { from: from.toISOString(), to: now.toISOString(), bucket: range.bucket };
}

/** Destination as people write it: `host:port`, or the port alone when no host was seen. */
export function destinationOf(event: Pick<StoredEvent, "dstHost" | "dstPort">): string {
  return event.dstHost ? `${event.dstHost}:${event.dstPort}` : `:${event.dstPort}`;
}

/**
 * Every bucket of the window, oldest first, with zeros where nothing was decided: the API
 * lists only buckets that saw events, and a chart must keep quiet hours on its time axis.
 */
export function fillBuckets(decisions: Decisions): DecisionBucket[] {
  const step = decisions.bucket === "hour" ? 3_600_000 : 86_400_000;
  const seen = new Map(decisions.items.map((i) => [new Date(i.bucket).getTime(), i]));
  const end = new Date(decisions.to).getTime();
  const filled: DecisionBucket[] = [];
  for (let t = Math.floor(new Date(decisions.from).getTime() / step) * step; t < end; t += step) {
    filled.push(
      seen.get(t) ?? { bucket: new Date(t).toISOString(), allow: 0, deny: 0, monitor: 0 },
    );
  }
  return filled;
}
