import type { ApiKey } from "@ringfence/db";

/** An API key as the API shows it: its start, never the secret or its hash. */
export function presentApiKey(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    start: key.start,
    scope: key.scope,
    createdBy: key.createdBy,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    rotatedAt: key.rotatedAt?.toISOString() ?? null,
    /** Until when the secret replaced by the last rotation still works. */
    previousValidUntil: key.previousExpiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedFrom: key.lastUsedFrom,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

export type ApiKeyDto = ReturnType<typeof presentApiKey>;

/** Every key starts with this, so secret scanners can find leaked ones. */
export const API_KEY_PREFIX = "rfk_";

/** How long the replaced secret keeps working after a rotation unless the caller says. */
export const DEFAULT_API_KEY_OVERLAP_SECONDS = 3600;
