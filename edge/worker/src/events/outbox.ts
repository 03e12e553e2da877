/**
 * Batches decision events and ships them to the control plane from `ctx.waitUntil`, after the
 * response has gone out. A batch answered with a 5xx (or not answered) is retried with backoff
 * inside a time budget that stays under the Workers limit for `waitUntil`; what still cannot be
 * delivered, and what overflows the queue, is counted by reason and logged, never dropped
 * silently.
 */

/** The result of one delivery attempt. */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; detail: string };

/** Delivers one batch; must not throw (network failures come back as a retryable result). */
export type EventSink<E> = (batch: readonly E[]) => Promise<SendResult>;

export interface OutboxOptions {
  /** Most events in one request to the control plane. */
  batchSize: number;
  /** How long a flush waits for more events to join before sending, in milliseconds. */
  lingerMs: number;
  /** Most events held in memory; beyond it new events are counted as dropped. */
  maxQueued?: number;
  /** Delivery attempts per batch, the first included. */
  maxAttempts?: number;
  /** Pause before the first retry; doubles each time. */
  retryDelayMs?: number;
  /** Total time one flush may spend, so it ends inside the `waitUntil` limit. */
  budgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Counters exposed on the status endpoint. */
export interface OutboxStats {
  queued: number;
  sent: number;
  batchesSent: number;
  retries: number;
  /** Events given up on, by why: `rejected` (4xx), `undeliverable` (retries or budget spent), `overflow`. */
  dropped: { rejected: number; undeliverable: number; overflow: number };
  lastError?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One per isolate: every request of the isolate adds to the same queue. */
export class EventOutbox<E> {
  readonly #queue: E[] = [];
  readonly #stats: OutboxStats = {
    queued: 0,
    sent: 0,
    batchesSent: 0,
    retries: 0,
    dropped: { rejected: 0, undeliverable: 0, overflow: 0 },
  };
  #flushing: Promise<void> | undefined;

  constructor(
    private readonly sink: EventSink<E>,
    private readonly options: OutboxOptions,
  ) {}

  /** Queues an event; returns false (and counts it) when the queue is full. */
  add(event: E): boolean {
    if (this.#queue.length >= (this.options.maxQueued ?? 10_000)) {
      this.#drop("overflow", 1, "event queue full");
      return false;
    }
    this.#queue.push(event);
    this.#stats.queued = this.#queue.length;
    return true;
  }

  /**
   * Starts a flush unless one is running, and returns the promise to hand to `ctx.waitUntil`.
   * Events added while a flush runs are picked up by that same flush.
   */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  stats(): OutboxStats {
    return structuredClone({ ...this.#stats, queued: this.#queue.length });
  }

  async #drain(): Promise<void> {
    const sleep = this.options.sleep ?? defaultSleep;
    const deadline = Date.now() + (this.options.budgetMs ?? 20_000);
    if (this.options.lingerMs > 0) await sleep(this.options.lingerMs);

    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.options.batchSize);
      this.#stats.queued = this.#queue.length;
      await this.#deliver(batch, deadline, sleep);
    }
  }

  async #deliver(batch: E[], deadline: number, sleep: (ms: number) => Promise<void>) {
    const maxAttempts = this.options.maxAttempts ?? 4;
    let delay = this.options.retryDelayMs ?? 250;

    for (let attempt = 1; ; attempt++) {
      const result = await this.sink(batch);
      if (result.ok) {
        this.#stats.sent += batch.length;
        this.#stats.batchesSent += 1;
        return;
      }
      if (!result.retryable) {
        this.#drop("rejected", batch.length, result.detail);
        return;
      }
      if (attempt >= maxAttempts || Date.now() + delay > deadline) {
        this.#drop("undeliverable", batch.length, result.detail);
        return;
      }
      this.#stats.retries += 1;
      await sleep(delay);
      delay *= 2;
    }
  }

  #drop(reason: keyof OutboxStats["dropped"], count: number, detail: string): void {
    this.#stats.dropped[reason] += count;
    this.#stats.lastError = detail;
    console.error(JSON.stringify({ msg: "events dropped", reason, count, detail }));
  }
}
