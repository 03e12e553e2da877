import type { BundlePayload, BundleRefusalCode, BundleVerifier } from "../bundle/index.ts";
import type { EnforcerClient } from "./client.ts";

/** The result of one synchronisation step. */
export type SyncOutcome<P> =
  | { status: "not-modified" }
  | { status: "accepted" | "unchanged"; payload: BundlePayload<P>; hash: string }
  | { status: "refused"; code: BundleRefusalCode; message: string };

/**
 * Polls for a bundle newer than the one the verifier holds and verifies whatever arrives.
 * Only an `accepted` outcome should change what the enforcer enforces; on `refused` the
 * enforcer keeps its current bundle, reports the refusal in its next heartbeat and backs off
 * before polling again, because the control plane will offer the same bundle at once.
 */
export async function syncBundle<P>(
  client: EnforcerClient,
  verifier: BundleVerifier<P>,
  options: { wait?: number; signal?: AbortSignal } = {},
): Promise<SyncOutcome<P>> {
  const poll = await client.pollBundle({ ...options, etag: verifier.current?.hash });
  if (poll.status === "not-modified") {
    return poll;
  }

  const outcome = await verifier.verify(poll.envelope);
  if (!outcome.ok) {
    return { status: "refused", code: outcome.code, message: outcome.message };
  }
  return { status: outcome.status, payload: outcome.payload, hash: outcome.hash };
}
