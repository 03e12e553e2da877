import { type BundleRow, bundles, type Database, type SigningKeyRow } from "@ringfence/db";
import { desc, eq } from "@ringfence/db/orm";
import {
  type BundlePayload,
  fromBase64,
  parseCanonical,
  signBundle,
} from "@ringfence/engine/bundle";
import { type ResolvedPolicy, resolvedPolicySchema } from "@ringfence/engine/policy";
import type { OrgContext } from "../../context.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { recentlyRetiredKeyIds } from "../keys/signing-key.ts";

/** What goes into one new bundle besides the policy. */
export interface BundleDraft {
  policy: ResolvedPolicy;
  signer: { row: SigningKeyRow; privateKey: CryptoKey };
  /** The key to announce; the signer's own unless this bundle hands over to a new key. */
  announce: SigningKeyRow;
  handover?: boolean;
  rollbackOf?: number;
}

/**
 * Signs and stores the organisation's next bundle version. Call inside a transaction that
 * holds the live signing key's row lock (see liveSigningKey), which makes version numbers
 * strictly increasing without gaps or duplicates.
 */
export async function signAndStore(
  tx: Database,
  ctx: WithEnforcement<OrgContext>,
  draft: BundleDraft,
): Promise<BundleRow> {
  const version = ((await latestBundle(tx, ctx.organizationId))?.version ?? 0) + 1;
  const retire = (await recentlyRetiredKeyIds(tx, ctx.organizationId)).filter(
    (keyId) => keyId !== draft.signer.row.keyId && keyId !== draft.announce.keyId,
  );
  const payload: BundlePayload<ResolvedPolicy> = {
    format: 1,
    organizationId: ctx.organizationId,
    version,
    createdAt: new Date().toISOString(),
    policy: draft.policy,
    keys: {
      announce: [
        {
          keyId: draft.announce.keyId,
          publicKey: draft.announce.publicKey,
          notBefore: draft.announce.createdAt.toISOString(),
        },
      ],
      ...(retire.length > 0 ? { retire } : {}),
    },
  };

  const signed = await signBundle(
    payload,
    draft.signer.privateKey,
    draft.signer.row.keyId,
    resolvedPolicySchema,
  );
  const [row] = await tx
    .insert(bundles)
    .values({
      organizationId: ctx.organizationId,
      version,
      hash: signed.hash,
      envelope: signed.envelope,
      signingKeyId: draft.signer.row.keyId,
      handover: draft.handover ?? false,
      rollbackOf: draft.rollbackOf ?? null,
      createdBy: ctx.actor.id,
    })
    .returning();
  if (row === undefined) {
    throw new Error("insert into bundles returned no row");
  }
  return row;
}

/** The organisation's newest bundle, or undefined before the first publish. */
export async function latestBundle(
  tx: Database,
  organizationId: string,
): Promise<BundleRow | undefined> {
  const [row] = await tx
    .select()
    .from(bundles)
    .where(eq(bundles.organizationId, organizationId))
    .orderBy(desc(bundles.version))
    .limit(1);
  return row;
}

/** The resolved policy a stored bundle carries, read back from its signed bytes. */
export function policyOf(row: BundleRow): ResolvedPolicy {
  const bytes = fromBase64(row.envelope.payload);
  const parsed = bytes === undefined ? undefined : parseCanonical(bytes);
  if (parsed === undefined || !parsed.ok) {
    throw new Error(`stored bundle ${row.id} does not hold canonical JSON`);
  }
  const policy = (parsed.value as { policy?: unknown }).policy;
  return resolvedPolicySchema.parse(policy);
}
