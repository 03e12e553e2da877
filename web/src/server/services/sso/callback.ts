import { type SsoConnection, ssoDomains, ssoLogins } from "@ringfence/db";
import { and, eq, isNotNull } from "@ringfence/db/orm";
import * as oidc from "openid-client";
import { recordAudit } from "../../audit.ts";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";
import { normalizeEmail } from "../auth/present.ts";
import { beginSession } from "../mfa/begin-session.ts";
import type { WithMfa } from "../mfa/runtime.ts";
import { discoverProvider, explainOidcError, ssoRefusal } from "./client.ts";
import { findConnection } from "./get.ts";
import { provisionMember, type SsoIdentity } from "./provision.ts";
import type { WithSso } from "./runtime.ts";
import { openClientSecret } from "./secret.ts";
import { finishSsoStepUp } from "./step-up.ts";

export interface FinishSsoInput {
  /** Our redirect URI with the query the provider sent back (code, state, iss or error). */
  callbackUrl: URL;
  /** The state cookie set when this browser left for the provider. */
  stateCookie: string | undefined;
  /** The session this browser is signed in with, if any: a step-up must return to its own. */
  sessionId?: string | undefined;
}

const refuse = ssoRefusal;

/**
 * Completes the flow. The state must match this browser's cookie and a stored, unexpired login
 * (which is deleted as it is read, so a replayed callback finds nothing); openid-client then
 * redeems the code with the PKCE verifier and validates the ID token: signature against the
 * issuer's JWKS, iss, aud, exp and iat within 30 s, and the nonce. Only an email in a domain the
 * organisation verified can sign in, and only when the provider does not say it is unverified.
 * A step-up flow marks its session re-verified instead of starting one (`finishSsoStepUp`).
 */
export async function finishSso({
  ctx,
  input,
}: ServiceCall<WithMfa<WithSso<RequestContext>>, FinishSsoInput>) {
  const state = input.callbackUrl.searchParams.get("state") ?? "";
  if (state === "" || state !== input.stateCookie) {
    throw refuse("the sign-in was not started in this browser (state mismatch); start again.");
  }
  const [login] = await ctx.db
    .delete(ssoLogins)
    .where(eq(ssoLogins.stateHash, sha256(state)))
    .returning();
  if (!login) throw refuse("this sign-in state is unknown or was already used; start again.");
  if (login.expiresAt < new Date()) throw refuse("the sign-in took too long; start again.");
  const stepUpSessionId = login.stepUpSessionId;
  if (stepUpSessionId !== null && stepUpSessionId !== input.sessionId) {
    throw refuse("this step-up was started by another session; start again from it.");
  }

  const connection = await findConnection(ctx, login.organizationId);
  if (!connection?.enabled) throw refuse("single sign-on is turned off for this organisation.");
  const ids = { organizationId: connection.organizationId, connectionId: connection.id };
  const clientSecret = await openClientSecret(ctx.sso.keyring, ids, connection.clientSecretSealed);
  const config = await discoverProvider(ctx.sso, { ...connection, clientSecret });

  let claims: oidc.IDToken | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, input.callbackUrl, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
      // Step-up: auth_time is required and must lie within the step-up window (30 s tolerance).
      ...(stepUpSessionId === null ? {} : { maxAge: ctx.config.mfa.stepUpSeconds }),
    });
    claims = tokens.claims();
  } catch (cause) {
    throw refuse(`${explainOidcError(cause)}.`, cause);
  }
  if (!claims) throw refuse("the provider sent no ID token.");

  const identity = mapClaims(connection, claims);
  await checkDomain(ctx, connection.organizationId, identity.email);
  if (stepUpSessionId !== null) {
    const proof = { sessionId: stepUpSessionId, startedAt: login.createdAt, identity, claims };
    const stepUp = await finishSsoStepUp(ctx, { connection, ...proof });
    return { kind: "step_up" as const, ...stepUp, returnTo: login.returnTo };
  }
  return ctx.db.transaction(async (tx) => {
    const userId = await provisionMember(tx, ctx, connection, identity);
    // A user with a second factor still owes it: SSO proves the first factor only.
    const outcome = await beginSession({
      ctx: { ...ctx, db: tx },
      input: { userId, method: "sso", ssoOrganizationId: connection.organizationId },
    });
    await recordAudit(
      tx,
      { ...ctx, actor: { type: "user", id: userId } },
      {
        organizationId: connection.organizationId,
        action: "sso.sign_in",
        targetType: "user",
        targetId: userId,
        details: { email: identity.email, subject: identity.subject, issuer: connection.issuer },
      },
    );
    return { kind: "sign_in" as const, outcome, userId, returnTo: login.returnTo };
  });
}

/** Reads the mapped claims; a missing or malformed email is refused with the claim's name. */
function mapClaims(connection: SsoConnection, claims: oidc.IDToken): SsoIdentity {
  const { email: emailClaim, name: nameClaim, groups: groupsClaim } = connection.claims;
  const email = claims[emailClaim];
  if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw refuse(`the ID token has no email address in its "${emailClaim}" claim.`);
  }
  if (claims.email_verified === false) {
    throw refuse(`the provider says ${email} is not verified.`);
  }
  const name = claims[nameClaim];
  const groups = claims[groupsClaim];
  return {
    subject: claims.sub,
    email: normalizeEmail(email),
    name: typeof name === "string" && name.trim() !== "" ? name.trim().slice(0, 200) : email,
    groups: Array.isArray(groups)
      ? groups.filter((group): group is string => typeof group === "string")
      : typeof groups === "string"
        ? [groups]
        : [],
  };
}

async function checkDomain(ctx: RequestContext, organizationId: string, email: string) {
  const domain = email.split("@")[1] ?? "";
  const [verified] = await ctx.db
    .select({ id: ssoDomains.id })
    .from(ssoDomains)
    .where(
      and(
        eq(ssoDomains.organizationId, organizationId),
        eq(ssoDomains.domain, domain),
        isNotNull(ssoDomains.verifiedAt),
      ),
    );
  if (!verified) {
    throw refuse(`${domain} is not a verified domain of this organisation.`);
  }
}
