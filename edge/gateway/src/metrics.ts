const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000];

/**
 * The gateway's Prometheus metrics, kept as plain counters so the hot path only increments
 * numbers. In cluster mode each worker keeps its own and the primary sums them for /metrics.
 */
export class Metrics {
  readonly decisions = new Map<string, number>();
  readonly latencyCounts = LATENCY_BUCKETS_MS.map(() => 0);
  latencySum = 0;
  latencyCount = 0;
  bundleVersion = 0;
  spoolDepth = 0;
  spoolDropped = 0;
  openConnections = 0;

  /** Counts one decision by action and kind, with its decision latency. */
  recordDecision(action: string, kind: string, latencyMs: number): void {
    const key = decisionKey(action, kind);
    this.decisions.set(key, (this.decisions.get(key) ?? 0) + 1);
    this.latencySum += latencyMs;
    this.latencyCount += 1;
    for (let index = 0; index < LATENCY_BUCKETS_MS.length; index++) {
      if (latencyMs <= (LATENCY_BUCKETS_MS[index] ?? 0)) {
        this.latencyCounts[index] = (this.latencyCounts[index] ?? 0) + 1;
      }
    }
  }

  /** A plain snapshot, sent over IPC by cluster workers. */
  snapshot(): MetricsSnapshot {
    return {
      decisions: Object.fromEntries(this.decisions),
      latencyCounts: [...this.latencyCounts],
      latencySum: this.latencySum,
      latencyCount: this.latencyCount,
      openConnections: this.openConnections,
    };
  }
}

// The few action/kind keys, built once each instead of a new string per decision.
const decisionKeys = new Map<string, Map<string, string>>();

function decisionKey(action: string, kind: string): string {
  let byKind = decisionKeys.get(action);
  if (!byKind) {
    byKind = new Map();
    decisionKeys.set(action, byKind);
  }
  let key = byKind.get(kind);
  if (key === undefined) {
    key = `${action}|${kind}`;
    byKind.set(kind, key);
  }
  return key;
}

/** Per-worker figures that add up across a cluster. */
export type MetricsSnapshot = {
  decisions: Record<string, number>;
  latencyCounts: number[];
  latencySum: number;
  latencyCount: number;
  openConnections: number;
};

/** Adds snapshots together (the primary's view of all workers). */
export function sumSnapshots(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  const total: MetricsSnapshot = {
    decisions: {},
    latencyCounts: LATENCY_BUCKETS_MS.map(() => 0),
    latencySum: 0,
    latencyCount: 0,
    openConnections: 0,
  };
  for (const snap of snapshots) {
    for (const [key, value] of Object.entries(snap.decisions)) {
      total.decisions[key] = (total.decisions[key] ?? 0) + value;
    }
    snap.latencyCounts.forEach((value, i) => {
      total.latencyCounts[i] = (total.latencyCounts[i] ?? 0) + value;
    });
    total.latencySum += snap.latencySum;
    total.latencyCount += snap.latencyCount;
    total.openConnections += snap.openConnections;
  }
  return total;
}

/** Renders the Prometheus text exposition format. */
export function renderMetrics(
  snap: MetricsSnapshot,
  gauges: { bundleVersion: number; spoolDepth: number; spoolDropped: number },
): string {
  const lines = [
    "# HELP ringfence_gateway_decisions_total Decisions taken, by action and kind.",
    "# TYPE ringfence_gateway_decisions_total counter",
  ];
  for (const [key, value] of Object.entries(snap.decisions)) {
    const [action, kind] = key.split("|");
    lines.push(`ringfence_gateway_decisions_total{action="${action}",kind="${kind}"} ${value}`);
  }
  lines.push(
    "# HELP ringfence_gateway_decision_seconds Time from request to decision.",
    "# TYPE ringfence_gateway_decision_seconds histogram",
  );
  LATENCY_BUCKETS_MS.forEach((bound, i) => {
    const le = bound / 1000;
    lines.push(
      `ringfence_gateway_decision_seconds_bucket{le="${le}"} ${snap.latencyCounts[i] ?? 0}`,
    );
  });
  lines.push(
    `ringfence_gateway_decision_seconds_bucket{le="+Inf"} ${snap.latencyCount}`,
    `ringfence_gateway_decision_seconds_sum ${snap.latencySum / 1000}`,
    `ringfence_gateway_decision_seconds_count ${snap.latencyCount}`,
    "# TYPE ringfence_gateway_bundle_version gauge",
    `ringfence_gateway_bundle_version ${gauges.bundleVersion}`,
    "# TYPE ringfence_gateway_spool_depth gauge",
    `ringfence_gateway_spool_depth ${gauges.spoolDepth}`,
    "# TYPE ringfence_gateway_spool_dropped_total counter",
    `ringfence_gateway_spool_dropped_total ${gauges.spoolDropped}`,
    "# TYPE ringfence_gateway_open_connections gauge",
    `ringfence_gateway_open_connections ${snap.openConnections}`,
  );
  return `${lines.join("\n")}\n`;
}
