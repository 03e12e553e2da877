import type { DecisionEvent } from "@ringfence/engine/documents";

/** The control plane's limits for one `POST /enforcer/events` (docs/contract.md). */
export type BatchLimits = { maxEvents: number; maxBytes: number };

// `{"events":[` and `]}` around the comma-separated events.
const ENVELOPE_BYTES = Buffer.byteLength('{"events":[]}');

/**
 * Splits events, in order, into batches the control plane accepts: at most `maxEvents` each,
 * and a body (`{"events":[…]}`) of at most `maxBytes`. An event too large to be sent even alone
 * can never be accepted, so it is returned apart, for the caller to count as dropped.
 */
export function splitBatches(
  events: readonly DecisionEvent[],
  limits: BatchLimits,
): { batches: DecisionEvent[][]; oversized: DecisionEvent[] } {
  const batches: DecisionEvent[][] = [];
  const oversized: DecisionEvent[] = [];
  let batch: DecisionEvent[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (ENVELOPE_BYTES + size > limits.maxBytes) {
      oversized.push(event);
      continue;
    }
    const added = size + (batch.length > 0 ? 1 : 0);
    if (batch.length >= limits.maxEvents || bytes + added > limits.maxBytes) {
      batches.push(batch);
      batch = [];
      bytes = ENVELOPE_BYTES;
    }
    bytes += size + (batch.length > 0 ? 1 : 0);
    batch.push(event);
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, oversized };
}
