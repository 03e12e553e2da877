import type { StatusReport } from "@ringfence/engine/control";
import type { BundleStats } from "./bundle/store.ts";
import type { OutboxStats } from "./events/outbox.ts";

/** What the heartbeat reads from the isolate each time it reports. */
export interface HeartbeatSources {
  bundle(): BundleStats;
  events(): OutboxStats;
  send(report: StatusReport): Promise<void>;
  softwareVersion: string;
}

/**
 * The worker's status report to the control plane (`POST api/v1/enforcer/status`), the same
 * heartbeat a gateway sends: the version enforced, so the console shows drift, and in the
 * message when the bundle was last confirmed and how many events were dropped. A worker has no
 * timer of its own, so it reports on requests: after every poll of the control plane (at most
 * once per half staleness bound) and whenever the version changes, in `waitUntil`.
 */
export class Heartbeat {
  #reportedPolls = -1;
  #reportedVersion: number | null | undefined;
  #sending = false;
  #failures = 0;

  constructor(private readonly sources: HeartbeatSources) {}

  /** Reports when something changed since the last report; never delays the request. */
  tick(waitUntil: (promise: Promise<unknown>) => void): void {
    const bundle = this.sources.bundle();
    const due =
      bundle.refreshes !== this.#reportedPolls || bundle.version !== this.#reportedVersion;
    if (!due || this.#sending) return;

    this.#sending = true;
    this.#reportedPolls = bundle.refreshes;
    this.#reportedVersion = bundle.version;
    const sent = this.sources
      .send(this.report(bundle))
      .catch(() => {
        this.#failures += 1;
      })
      .finally(() => {
        this.#sending = false;
      });
    waitUntil(sent);
  }

  /** Reports that could not be delivered (the next poll tries again). */
  get failures(): number {
    return this.#failures;
  }

  report(bundle: BundleStats = this.sources.bundle()): StatusReport {
    const events = this.sources.events();
    const { rejected, undeliverable, overflow } = events.dropped;
    const confirmed =
      bundle.ageSeconds === null
        ? "no bundle verified"
        : `bundle from ${bundle.source}, confirmed ${bundle.ageSeconds} s ago`;
    const parts = [
      confirmed,
      `events sent ${events.sent}, dropped ${rejected + undeliverable + overflow} ` +
        `(rejected ${rejected}, undeliverable ${undeliverable}, overflow ${overflow})`,
      ...(bundle.lastError === undefined ? [] : [`last error: ${bundle.lastError}`]),
    ];
    return {
      version: bundle.version,
      ...(bundle.hash === null ? {} : { hash: bundle.hash }),
      softwareVersion: this.sources.softwareVersion,
      message: parts.join("; ").slice(0, 500),
    };
  }
}
