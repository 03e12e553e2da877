import { type SsoConnection, sessions, users } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type * as oidc from "openid-client";
import { recordAudit } from "../../audit.ts";
import type { RequestContext } from "../../context.ts";
import { normalizeEmail } from "../auth/present.ts";
import type { WithMfa } from "../mfa/runtime.ts";
import { recordVerification } from "../mfa/verification.ts";
import { CLOCK_TOLERANCE_SECONDS, ssoRefusal } from "./client.ts";
import type { SsoIdentity } from "./provision.ts";
import type { WithSso } from "./runtime.ts";
import { assertSsoStepUpAllowed } from "./start.ts";

export interface SsoStepUpProof {
  connection: SsoConnection;
  /** The session the flow was started from; the callback already checked it came back. */
  sessionId: string;
  /** When the flow began: `max_age=0` asked the provider for a login after it. */
  startedAt: Date;
  identity: SsoIdentity;
  claims: oidc.IDToken;
}

/**
 * Marks the session re-verified after the provider authenticated its user again. The ID token
 * (already validated, its `auth_time` within the step-up window) must name the session's own
 * user, and `auth_time` must not precede the flow by more than the clock tolerance: a provider
 * that ignored `prompt=login` and reused an older login proves nothing new. No session is
 * created and no membership changes.
 */
export async function finishSsoStepUp(
  ctx: WithMfa<WithSso<RequestContext>>,
  proof: SsoStepUpProof,
): Promise<{ verifiedAt: string; validUntil: string }> {
  const [session] = await ctx.db
    .select({ userId: sessions.userId, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, proof.sessionId));
  if (!session) throw ssoRefusal("the session to step up has ended; sign in again.");
  if (normalizeEmail(session.email) !== proof.identity.email) {
    throw ssoRefusal(`the provider signed in ${proof.identity.email}, not this session's user.`);
  }

  const authTime = proof.claims.auth_time;
  const earliest = proof.startedAt.getTime() / 1000 - CLOCK_TOLERANCE_SECONDS;
  if (typeof authTime !== "number" || authTime < earliest) {
    throw ssoRefusal("the provider did not authenticate you again (auth_time is too old).");
  }
  await assertSsoStepUpAllowed(ctx, session.userId);

  const { organizationId, issuer } = proof.connection;
  const verifiedAt = await ctx.db.transaction(async (tx) => {
    const at = await recordVerification({ ...ctx, db: tx }, proof.sessionId, "sso");
    await recordAudit(
      tx,
      { ...ctx, actor: { type: "user", id: session.userId } },
      {
        organizationId,
        action: "sso.step_up",
        targetType: "user",
        targetId: session.userId,
        details: { email: proof.identity.email, subject: proof.identity.subject, issuer },
      },
    );
    return at;
  });
  const validUntil = new Date(verifiedAt.getTime() + ctx.config.mfa.stepUpSeconds * 1000);
  return { verifiedAt: verifiedAt.toISOString(), validUntil: validUntil.toISOString() };
}
