import type { ApiKey } from "@ringfence/db";

/** An API key as the API shows it: its start, never the secret or its hash. */
export function presentApiKey(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    start: key.start,
    scope: key.scope,
    createdBy: key.createdBy,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

export type ApiKeyDto = ReturnType<typeof presentApiKey>;

/** Every key starts with this, so secret scanners can find leaked ones. */
export const API_KEY_PREFIX = "rfk_";
