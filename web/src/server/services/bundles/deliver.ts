import { type BundleRow, bundles, type Database, enforcers } from "@ringfence/db";
import { and, asc, desc, eq, gt, isNull } from "@ringfence/db/orm";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { hashIsLive } from "../credentials/lifecycle.ts";
import { ENFORCER_CREDENTIAL_COLUMNS } from "../enforcers/authenticate.ts";
import type { EnforcerContext } from "../enforcers/runtime.ts";

/** What an enforcer's bundle request gets: a bundle, or word that it holds the right one. */
export type Delivery = { status: "bundle"; bundle: BundleRow } | { status: "not-modified" };

/**
 * Answers an enforcer's bundle request. When the enforcer already holds the bundle it would be
 * given (its `If-None-Match` hash), the request parks until a newer one is published or `wait`
 * seconds pass. Publishing in this process wakes it at once; publishing on another replica is
 * seen on the next database re-check, a second later by default.
 */
export async function awaitBundle({
  ctx,
  input,
}: ServiceCall<
  EnforcerContext,
  { heldHash: string | undefined; waitSeconds: number; signal?: AbortSignal }
>): Promise<Delivery> {
  const deadline = Date.now() + input.waitSeconds * 1000;
  const { notifier, settings } = ctx.enforcement;

  // FIXME(scale): each parked request re-reads the database on its own, about three small
  // indexed queries per second per enforcer. Past a few thousand enforcers per replica, one
  // shared re-check per organisation fanning out through the notifier would remove the load.
  for (;;) {
    const bundle = await bundleFor(ctx.db, ctx.enforcer, input.heldHash);
    if (bundle !== undefined && bundle.hash !== input.heldHash) {
      return { status: "bundle", bundle };
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0 || input.signal?.aborted) {
      return { status: "not-modified" };
    }
    await notifier.wait(
      ctx.enforcer.organizationId,
      Math.min(remaining, settings.recheckMs),
      input.signal,
    );
  }
}

/**
 * The bundle this enforcer should get next: normally the newest, but if a key handover was
 * published after the version it holds, that handover first, because the newest may be signed
 * by a key it can only trust once the handover has announced it. Also re-checks, on every
 * pass, that the enforcer has not been revoked, nor its credential expired or rotated away,
 * while its request was parked.
 */
async function bundleFor(
  db: Database,
  enforcer: EnforcerContext["enforcer"],
  heldHash: string | undefined,
): Promise<BundleRow | undefined> {
  const [current] = await db
    .select({ baselineVersion: enforcers.baselineVersion })
    .from(enforcers)
    .where(
      and(
        eq(enforcers.organizationId, enforcer.organizationId),
        eq(enforcers.id, enforcer.id),
        isNull(enforcers.revokedAt),
        enforcer.credentialHash === undefined
          ? undefined
          : hashIsLive(ENFORCER_CREDENTIAL_COLUMNS, enforcer.credentialHash, new Date()),
      ),
    );
  if (current === undefined) {
    throw new AppError(
      "unauthenticated",
      "The enforcer credential has been revoked, has expired or was rotated away.",
    );
  }

  const held =
    heldHash === undefined ? undefined : await versionOf(db, enforcer.organizationId, heldHash);
  const heldVersion = held ?? current.baselineVersion;
  const [handover] = await db
    .select()
    .from(bundles)
    .where(
      and(
        eq(bundles.organizationId, enforcer.organizationId),
        eq(bundles.handover, true),
        gt(bundles.version, heldVersion),
      ),
    )
    .orderBy(asc(bundles.version))
    .limit(1);
  return handover ?? (await newest(db, enforcer.organizationId));
}

async function versionOf(db: Database, organizationId: string, hash: string) {
  const [row] = await db
    .select({ version: bundles.version })
    .from(bundles)
    .where(and(eq(bundles.organizationId, organizationId), eq(bundles.hash, hash)))
    .orderBy(desc(bundles.version))
    .limit(1);
  return row?.version;
}

async function newest(db: Database, organizationId: string) {
  const [row] = await db
    .select()
    .from(bundles)
    .where(eq(bundles.organizationId, organizationId))
    .orderBy(desc(bundles.version))
    .limit(1);
  return row;
}
