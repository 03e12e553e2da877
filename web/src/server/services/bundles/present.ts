import type { BundleRow } from "@ringfence/db";

/** A bundle as the API shows it: metadata only; enforcers fetch the envelope itself. */
export interface BundleDto {
  id: string;
  version: number;
  hash: string;
  keyId: string;
  handover: boolean;
  rollbackOf: number | null;
  createdBy: string | null;
  createdAt: string;
}

export function presentBundle(row: BundleRow): BundleDto {
  return {
    id: row.id,
    version: row.version,
    hash: row.hash,
    keyId: row.signingKeyId,
    handover: row.handover,
    rollbackOf: row.rollbackOf,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
