import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { MAX_EVENTS_BODY_BYTES, MAX_EVENTS_PER_BATCH } from "@ringfence/engine/control";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { type BatchLimits, splitBatches } from "./batches.ts";

/** Sends one batch; throws when the control plane cannot take it now. */
export type SendBatch = (events: readonly DecisionEvent[]) => Promise<void>;

export type ShipperOptions = {
  send: SendBatch;
  /** Directory for batches that could not be sent. */
  spoolDir: string;
  batchSize?: number;
  flushMs?: number;
  /** Most batches kept on disk; further batches are dropped and counted. */
  maxSpoolBatches?: number;
  /** Most events held in memory between flushes; further events are dropped and counted. */
  maxQueued?: number;
  /** The control plane's per-request limits; its documented defaults when absent. */
  limits?: BatchLimits;
};

/**
 * Batches decision events to the control plane. A batch that cannot be sent is spooled to disk
 * as one numbered file; spooled batches are always sent first and in order, so the control
 * plane sees events in the order they happened. The spool is bounded: past its limit, batches
 * are dropped and the `dropped` counter says how many events were lost.
 */
export class EventShipper {
  private queue: DecisionEvent[] = [];
  private spooled: number[] = [];
  private nextSeq = 1;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  dropped = 0;

  constructor(private readonly options: ShipperOptions) {}

  /** Loads batches left on disk by a previous run and starts the flush timer. */
  async start(): Promise<void> {
    await mkdir(this.options.spoolDir, { recursive: true, mode: 0o700 });
    const names = await readdir(this.options.spoolDir);
    this.spooled = names
      .map((name) => /^(\d{12})\.json$/.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    this.nextSeq = (this.spooled.at(-1) ?? 0) + 1;
    this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** Queues one event; never blocks the connection that produced it. */
  push(event: DecisionEvent): void {
    if (this.queue.length >= (this.options.maxQueued ?? 50_000)) {
      this.dropped += 1;
      return;
    }
    this.queue.push(event);
    if (this.queue.length >= this.batchSize) void this.flush();
  }

  /** Batches waiting on disk. */
  get spoolDepth(): number {
    return this.spooled.length;
  }

  /** Sends spooled batches, then queued events; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops the timer and makes a last attempt; whatever fails stays on disk. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.queue.length > 0) await this.spool(this.queue.splice(0));
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  private async drain(): Promise<void> {
    if (!(await this.sendSpooled())) {
      await this.spoolQueue();
      return;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      if (!(await this.sendSplit(batch))) {
        await this.spool(batch);
        await this.spoolQueue();
        return;
      }
    }
  }

  /**
   * Sends a batch in parts within the control plane's limits (1000 events, 1 MiB by default),
   * so a batch of large events is never refused whole with 413. False when a part failed: the
   * caller keeps the whole batch, and resending its parts already sent is harmless because the
   * control plane stores each event id once.
   */
  private async sendSplit(batch: readonly DecisionEvent[]): Promise<boolean> {
    const { batches, oversized } = splitBatches(batch, this.limits);
    for (const part of batches) {
      try {
        await this.options.send(part);
      } catch {
        return false;
      }
    }
    this.dropped += oversized.length;
    return true;
  }

  private get limits(): BatchLimits {
    return (
      this.options.limits ?? { maxEvents: MAX_EVENTS_PER_BATCH, maxBytes: MAX_EVENTS_BODY_BYTES }
    );
  }

  /** True when the spool is empty afterwards. */
  private async sendSpooled(): Promise<boolean> {
    while (this.spooled.length > 0) {
      const seq = this.spooled[0] ?? 0;
      const file = this.fileOf(seq);
      const batch = JSON.parse(await readFile(file, "utf8")) as DecisionEvent[];
      if (!(await this.sendSplit(batch))) return false;
      await rm(file, { force: true });
      this.spooled.shift();
    }
    return true;
  }

  private async spoolQueue(): Promise<void> {
    while (this.queue.length > 0) await this.spool(this.queue.splice(0, this.batchSize));
  }

  private async spool(batch: DecisionEvent[]): Promise<void> {
    if (this.spooled.length >= (this.options.maxSpoolBatches ?? 1_000)) {
      this.dropped += batch.length;
      return;
    }
    const seq = this.nextSeq++;
    await writeFile(this.fileOf(seq), JSON.stringify(batch), { mode: 0o600 });
    this.spooled.push(seq);
  }

  private fileOf(seq: number): string {
    return path.join(this.options.spoolDir, `${String(seq).padStart(12, "0")}.json`);
  }
}
