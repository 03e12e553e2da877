import { claimNextSync } from "./jobs.ts";
import { type DiscoveryRuntime, runSync, type SyncOutcome } from "./run.ts";

export { type AppliedSync, applyDiscovery } from "./apply.ts";
export { claimNextSync, enqueueDueSyncs, enqueueSync } from "./jobs.ts";
export { type DiscoveryRuntime, runSync, type SyncOutcome } from "./run.ts";

/** Claims and runs one queued sync; undefined when none is queued. For the job loop and tests. */
export async function processNextSync(runtime: DiscoveryRuntime): Promise<SyncOutcome | undefined> {
  const run = await claimNextSync(runtime.db);
  return run ? runSync(runtime, run) : undefined;
}
