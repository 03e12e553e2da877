/**
 * Wakes parked bundle requests in this process as soon as a bundle is published here. Other
 * replicas cannot reach these waiters, which is why every parked request also re-reads the
 * database on a short interval: the notifier gives speed, the re-check gives correctness.
 */
export class BundleNotifier {
  readonly #waiters = new Map<string, Set<() => void>>();

  /** Wakes every request parked for this organisation. */
  notify(organizationId: string): void {
    const waiters = this.#waiters.get(organizationId);
    this.#waiters.delete(organizationId);
    for (const wake of waiters ?? []) {
      wake();
    }
  }

  /** Resolves on the next notify for the organisation, after `ms`, or when the signal aborts. */
  wait(organizationId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(organizationId) ?? new Set<() => void>();
      this.#waiters.set(organizationId, waiters);

      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      waiters.add(wake);
      signal?.addEventListener("abort", wake, { once: true });
    });
  }

  /** Requests parked right now, across organisations; for metrics and tests. */
  get parked(): number {
    let count = 0;
    for (const waiters of this.#waiters.values()) {
      count += waiters.size;
    }
    return count;
  }
}
