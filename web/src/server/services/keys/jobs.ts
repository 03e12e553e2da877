import type { Database } from "@ringfence/db";
import type { Keyring } from "./keyring.ts";
import { reencryptBatch } from "./reencrypt.ts";

/** Batches one job tick re-encrypts at most, so a large backlog never holds a tick for long. */
const MAX_BATCHES_PER_TICK = 20;

/**
 * The background half of a data-key rotation, run by the control plane's job loop: re-seals
 * values still under retired data keys (or in the first format) under the live keys, a batch at
 * a time, until none is left or the tick's budget is spent. Returns how many it re-sealed.
 */
export async function reencryptPending(db: Database, keyring: Keyring): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
    const done = await reencryptBatch(db, keyring);
    total += done;
    if (done === 0) break;
  }
  return total;
}
