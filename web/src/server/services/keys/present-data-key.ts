import type { DataKeyRow } from "@ringfence/db";

/** A data key as the API shows it: never its bytes, wrapped or not. */
export function presentDataKey(row: DataKeyRow, sealedValues: number) {
  return {
    id: row.id,
    purpose: row.purpose,
    kekId: row.kekId,
    live: row.retiredAt === null,
    sealedValues,
    createdAt: row.createdAt.toISOString(),
    retiredAt: row.retiredAt?.toISOString() ?? null,
  };
}

export type DataKeyDto = ReturnType<typeof presentDataKey>;
