import type { Database } from "@ringfence/db";
import { and, gt, isNull, or, type PgColumn, type SQL, sql } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { Actor, RequestContext } from "../../context.ts";
import { randomToken, sha256 } from "../../tokens.ts";

/**
 * The lifecycle every bearer credential shares (enforcer credentials, API keys): a current
 * secret with an optional expiry, and after a rotation the previous secret, valid until the
 * overlap window ends. Only SHA-256 hashes are stored.
 */
export interface CredentialColumns {
  hash: PgColumn;
  expiresAt: PgColumn;
  previousHash: PgColumn;
  previousExpiresAt: PgColumn;
}

/** A new secret with its stored forms. */
export interface IssuedSecret {
  secret: string;
  hash: string;
  /** The first characters, shown so people can tell secrets apart. */
  start: string;
}

/** Records of use are refreshed at most this often, unless the client address changes. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** The longest overlap a rotation may ask for: a week. */
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

export function issueSecret(prefix: string): IssuedSecret {
  const secret = `${prefix}${randomToken()}`;
  return { secret, hash: sha256(secret), start: secret.slice(0, 10) };
}

/**
 * The condition under which the secret with this SHA-256 authenticates at `now`: it is the
 * current secret and has not expired, or it is the previous secret and its overlap window is
 * still open. Evaluated against the database on every request, so a revocation or a closed
 * window takes effect at once.
 */
export function hashIsLive(columns: CredentialColumns, hash: string, now: Date): SQL {
  const current = and(
    sql`${columns.hash} = ${hash}`,
    or(isNull(columns.expiresAt), gt(columns.expiresAt, now)),
  );
  const previous = and(sql`${columns.previousHash} = ${hash}`, gt(columns.previousExpiresAt, now));
  return or(current, previous) ?? sql`false`;
}

/**
 * When the replaced secret stops working: after the overlap, but never later than it would have
 * expired anyway.
 */
export function overlapEnd(now: Date, overlapSeconds: number, expiresAt: Date | null): Date {
  const end = new Date(now.getTime() + overlapSeconds * 1000);
  return expiresAt !== null && expiresAt < end ? expiresAt : end;
}

/** The expiry of a secret issued now with a lifetime in seconds (null: never). */
export function expiryFrom(now: Date, ttlSeconds: number | null): Date | null {
  return ttlSeconds === null ? null : new Date(now.getTime() + ttlSeconds * 1000);
}

/** The credential a request authenticated with, and what is recorded of its last use. */
export interface CredentialUse {
  organizationId: string;
  targetType: "enforcer" | "api_key";
  targetId: string;
  /** Who the audit row names as the actor: the enforcer or the key itself. */
  actor: Actor;
  last: { at: Date | null; from: string | null };
}

/**
 * Records a use of a credential: writes the time and client address with `update` when worth
 * it (see shouldRecordUse), and adds an audit row `<targetType>.new_address` when the address
 * differs from the last one. Uses from the same place within a minute write nothing, so the
 * enforcer's polling does not write a row per request.
 */
export async function recordUse(
  ctx: RequestContext,
  use: CredentialUse,
  update: (
    tx: Database,
    values: { lastUsedAt: Date; lastUsedFrom: string | null },
  ) => Promise<void>,
): Promise<void> {
  const now = new Date();
  const address = ctx.client?.address;
  if (!shouldRecordUse(use.last, address, now)) return;
  await ctx.db.transaction(async (tx) => {
    await update(tx, { lastUsedAt: now, lastUsedFrom: address ?? use.last.from });
    if (isNewAddress(use.last.from, address)) {
      await recordAudit(
        tx,
        { ...ctx, actor: use.actor },
        {
          organizationId: use.organizationId,
          action: `${use.targetType}.new_address`,
          targetType: use.targetType,
          targetId: use.targetId,
          details: { from: address, previous: use.last.from },
        },
      );
    }
  });
}

/** Whether a use should be written: the first, a stale record, or a new client address. */
export function shouldRecordUse(
  last: { at: Date | null; from: string | null },
  address: string | undefined,
  now: Date,
): boolean {
  if (last.at === null) return true;
  if (address !== undefined && address !== last.from) return true;
  return now.getTime() - last.at.getTime() >= LAST_USED_RESOLUTION_MS;
}

/** Whether this use comes from another address than the last recorded one (worth an audit row). */
function isNewAddress(lastFrom: string | null, address: string | undefined): boolean {
  return lastFrom !== null && address !== undefined && address !== lastFrom;
}
