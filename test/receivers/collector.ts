/**
 * What a receiver has taken in: every OCSF event once per `metadata.uid` (at-least-once
 * delivery may repeat one), how many arrived in total, and what was refused and why.
 */
export class Collector {
  readonly byUid = new Map<string, Record<string, unknown>>();
  received = 0;
  readonly rejected: string[] = [];

  add(event: Record<string, unknown>): void {
    this.received += 1;
    const metadata = event.metadata as { uid?: unknown } | undefined;
    this.byUid.set(String(metadata?.uid ?? `missing-uid-${this.received}`), event);
  }

  reject(reason: string): void {
    this.rejected.push(reason);
  }

  /** The distinct event uids seen. */
  get uids(): Set<string> {
    return new Set(this.byUid.keys());
  }
}
