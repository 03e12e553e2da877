import { organizations, ssoDomains, ssoLogins } from "@ringfence/db";
import { and, eq, isNotNull, lt } from "@ringfence/db/orm";
import * as oidc from "openid-client";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { sha256 } from "../../tokens.ts";
import { normalizeEmail } from "../auth/present.ts";
import { hasConfirmedFactor } from "../mfa/factor.ts";
import { discoverProvider } from "./client.ts";
import { findConnection } from "./get.ts";
import type { WithSso } from "./runtime.ts";
import { openClientSecret } from "./secret.ts";

/** How long the person has at their identity provider before the state expires. */
export const LOGIN_TTL_SECONDS = 10 * 60;

export interface StartSsoInput {
  /** The organisation's slug, or the person's email (its verified domain picks the org). */
  org?: string | undefined;
  email?: string | undefined;
  /** A path of the console to land on afterwards. */
  returnTo: string;
  redirectUri: string;
  /** Re-prove this signed-in session's user for step-up instead of signing someone in. */
  stepUp?: { sessionId: string; userId: string } | undefined;
}

/**
 * Begins an authorisation code flow with PKCE: a fresh state, nonce and code verifier are
 * stored (the state only hashed), and the browser is sent to the provider. The same state goes
 * into a cookie, so the callback can tell that the browser which returns is the one that left.
 * For step-up the provider is asked to authenticate the person again (`prompt=login`,
 * `max_age=0`) and the login row remembers the session to mark.
 */
export async function startSso({
  ctx,
  input,
}: ServiceCall<WithSso<RequestContext>, StartSsoInput>): Promise<{ url: string; state: string }> {
  const organizationId = await findOrganization(ctx, input);
  if (input.stepUp) await assertSsoStepUpAllowed(ctx, input.stepUp.userId);
  const connection = await findConnection(ctx, organizationId);
  if (!connection?.enabled) {
    throw new AppError("not_found", "Single sign-on is not set up for this organisation.");
  }

  const ids = { organizationId, connectionId: connection.id };
  const clientSecret = await openClientSecret(ctx.sso.keyring, ids, connection.clientSecretSealed);
  const config = await discoverProvider(ctx.sso, { ...connection, clientSecret });

  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await ctx.db.delete(ssoLogins).where(lt(ssoLogins.expiresAt, new Date()));
  await ctx.db.insert(ssoLogins).values({
    organizationId,
    stateHash: sha256(state),
    codeVerifier,
    nonce,
    returnTo: input.returnTo,
    stepUpSessionId: input.stepUp?.sessionId ?? null,
    expiresAt: new Date(Date.now() + LOGIN_TTL_SECONDS * 1000),
  });

  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(input.email ? { login_hint: normalizeEmail(input.email) } : {}),
    ...(input.stepUp ? { prompt: "login", max_age: "0" } : {}),
  });
  return { url: url.toString(), state };
}

/**
 * A user with a second factor steps up with a code: the provider proves the first factor only,
 * and a stolen session plus a phished IdP password must not be enough.
 */
export async function assertSsoStepUpAllowed(ctx: RequestContext, userId: string) {
  if (await hasConfirmedFactor(ctx, userId)) {
    throw new AppError(
      "invalid_request",
      "This account has a second factor; step up with a code (POST /api/v1/auth/step-up).",
    );
  }
}

async function findOrganization(ctx: RequestContext, input: StartSsoInput): Promise<string> {
  if (input.org !== undefined) {
    const [org] = await ctx.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, input.org));
    if (!org) throw new AppError("not_found", `No organisation ${input.org} uses single sign-on.`);
    return org.id;
  }

  const domain = normalizeEmail(input.email ?? "").split("@")[1] ?? "";
  const [claimed] = await ctx.db
    .select({ organizationId: ssoDomains.organizationId })
    .from(ssoDomains)
    .where(and(eq(ssoDomains.domain, domain), isNotNull(ssoDomains.verifiedAt)));
  if (!claimed) {
    throw new AppError("not_found", `No organisation uses single sign-on for ${domain}.`);
  }
  return claimed.organizationId;
}
