/**
 * Bounds the event batches being written at once. When the database falls behind, new batches
 * are refused with 429 and Retry-After instead of queueing without limit; enforcers keep them
 * (spooling to disk) and resend, and idempotent storage makes the resend safe.
 */
export class IngestGate {
  #batches = 0;
  #events = 0;

  constructor(
    readonly maxBatches: number,
    readonly maxEvents: number,
  ) {}

  /** Admits a batch of `size` events, returning its release function, or undefined when full. */
  tryEnter(size: number): (() => void) | undefined {
    const full = this.#batches >= this.maxBatches;
    // A batch larger than the event budget is still admitted when nothing else runs, so one
    // maximum-size batch can always make progress.
    const tooMany = this.#batches > 0 && this.#events + size > this.maxEvents;
    if (full || tooMany) {
      return undefined;
    }

    this.#batches += 1;
    this.#events += size;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.#batches -= 1;
        this.#events -= size;
      }
    };
  }

  get inFlight(): { batches: number; events: number } {
    return { batches: this.#batches, events: this.#events };
  }
}
