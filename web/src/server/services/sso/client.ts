import * as oidc from "openid-client";
import { AppError } from "../../errors.ts";
import { IdpFetchError, idpFetch } from "./outbound.ts";
import type { SsoRuntime } from "./runtime.ts";

/** A refused sign-in or step-up, with the reason in a sentence the browser may show. */
export const ssoRefusal = (detail: string, cause?: unknown) =>
  new AppError("unauthenticated", `Single sign-on failed: ${detail}`, { cause });

/** Seconds of clock difference tolerated on `exp`, `iat` and `nbf` of ID tokens. */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface ProviderClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Reads the issuer's discovery document (every call through the guarded fetch) and returns the
 * client configuration. openid-client checks that the document names the same issuer, and ID
 * token signatures are verified against the issuer's JWKS. Plain http
 * is enabled only for an http issuer, which the guarded fetch in turn accepts only towards the
 * egress allowlist.
 */
export async function discoverProvider(
  runtime: SsoRuntime,
  client: ProviderClient,
): Promise<oidc.Configuration> {
  const issuer = new URL(client.issuer);
  try {
    return await oidc.discovery(
      issuer,
      client.clientId,
      { [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS },
      oidc.ClientSecretBasic(client.clientSecret),
      {
        [oidc.customFetch]: idpFetch(runtime),
        // Signatures are checked against the issuer's JWKS even though the token comes straight
        // from the token endpoint: TLS alone would leave a plain-http test issuer unchecked,
        // and a stored token stays verifiable.
        execute: [
          oidc.enableNonRepudiationChecks,
          ...(issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : []),
        ],
      },
    );
  } catch (cause) {
    throw new AppError(
      "invalid_request",
      `The identity provider's discovery document at ${issuer.origin} cannot be used: ${explainOidcError(cause)}.`,
      { cause },
    );
  }
}

const MAX_DETAIL = 200;

/**
 * A sentence naming what went wrong in an OIDC exchange, for the error sent to the browser:
 * the provider's own error code, the guard's refusal, or the check of the ID token that failed
 * (wrong nonce, audience, issuer, expired, bad signature). Unknown errors are thrown on.
 */
export function explainOidcError(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    const description = error.error_description ? ` (${error.error_description})` : "";
    return `the provider answered ${error.error}${description}`.slice(0, MAX_DETAIL);
  }
  const chain: Error[] = [];
  for (let at: unknown = error; at instanceof Error; at = at.cause) chain.push(at);
  const fetchError = chain.find((item) => item instanceof IdpFetchError);
  if (fetchError) return fetchError.message;
  const innermost = chain.findLast((item) => item.message !== "");
  if (!innermost || !chain.some((item) => item instanceof oidc.ClientError || "code" in item)) {
    throw error;
  }
  return innermost.message.slice(0, MAX_DETAIL);
}
