import type { Asset } from "@ringfence/engine/documents";

/**
 * One thing a sync could not read: a region, a subscription, a service. `fix` tells the customer
 * exactly what to change; the sync keeps every other scope's results (a partial sync).
 */
export interface DiscoveryProblem {
  /** What failed: `account`, `region:eu-west-1`, `s3`, `subscription:…`, `project:…`. */
  scope: string;
  /** The cloud's own error code, such as `AccessDenied` or `UnauthorizedOperation`. */
  code: string;
  /** What happened and what to change, in one sentence a customer can act on. */
  message: string;
  /** The IAM action or Azure/GCP permission that was missing, when the cloud named it. */
  missingPermission?: string;
}

/** What a connector returns: the canonical assets it read and the scopes it could not read. */
export interface DiscoveryResult {
  assets: Asset[];
  problems: DiscoveryProblem[];
  /** Scopes read completely (regions, subscriptions, projects), for the sync record. */
  scopes: string[];
}

/**
 * The scope an asset was read under. A sync removes a previously known asset only when its scope
 * was read completely this time, so a failed region never looks like deleted instances.
 */
export function assetScope(asset: Asset): string {
  if (asset.provider === "aws") return asset.kind === "bucket" ? "s3" : `region:${asset.region}`;
  return `kind:${asset.kind}`;
}

/** A fatal problem before any scope could be read, such as a refused role assumption. */
export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";

  constructor(
    readonly problem: DiscoveryProblem,
    options?: { cause?: unknown },
  ) {
    super(problem.message, options);
  }
}

/**
 * The fetch every connector's plain HTTP calls go through. The control plane passes a fetch
 * bound to the SSRF guard; tests pass one that trusts the replay servers' test CA.
 */
export type OutboundFetch = (input: string, init?: RequestInit) => Promise<Response>;
