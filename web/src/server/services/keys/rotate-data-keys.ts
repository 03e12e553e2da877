import { DATA_KEY_PURPOSES, type DataKeyPurpose, dataKeys } from "@ringfence/db";
import { and, eq, inArray, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { type DataKeyDto, presentDataKey } from "./present-data-key.ts";

/**
 * Rotates the organisation's data keys of the given purposes (all by default): each live key is
 * retired and a new one, wrapped by the current KEK, seals every new value from now on. Retired
 * keys keep opening what they sealed, so nothing stops working; the control plane's job loop
 * re-encrypts those values under the new key in the background (reencryptBatch).
 */
export async function rotateDataKeys({
  ctx,
  input,
}: ServiceCall<WithEnforcement<OrgContext>, { purposes?: DataKeyPurpose[] | undefined }>): Promise<{
  items: DataKeyDto[];
}> {
  const purposes = input.purposes ?? [...DATA_KEY_PURPOSES];
  const keyring = ctx.enforcement.keyring;
  return ctx.db.transaction(async (tx) => {
    const retired = await tx
      .update(dataKeys)
      .set({ retiredAt: new Date() })
      .where(
        and(
          eq(dataKeys.organizationId, ctx.organizationId),
          inArray(dataKeys.purpose, purposes),
          isNull(dataKeys.retiredAt),
        ),
      )
      .returning({ id: dataKeys.id, purpose: dataKeys.purpose });

    const items: DataKeyDto[] = [];
    for (const purpose of purposes) {
      const owner = { organizationId: ctx.organizationId, purpose };
      await keyring.insertDataKey(tx, owner);
      const live = await keyring.liveDataKey(tx, owner);
      const [row] = await tx.select().from(dataKeys).where(eq(dataKeys.id, live.id));
      if (row !== undefined) items.push(presentDataKey(row, 0));
    }

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "data_key.rotate",
      targetType: "organization",
      targetId: ctx.organizationId,
      details: {
        purposes,
        retired: retired.map((row) => row.id),
        live: items.map((item) => item.id),
      },
    });
    return { items };
  });
}
