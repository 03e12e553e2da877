import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** The person the provider signs in at the next authorisation request. */
export interface OidcUser {
  sub: string;
  email: string;
  name?: string;
  groups?: string[];
  emailVerified?: boolean;
}

/** A registered client: its secret and the exact redirect URIs it may use. */
export interface OidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/**
 * Ways the next ID token departs from the rules, for tests of the relying party's checks. Each
 * applies to one token and is then cleared.
 */
export interface IdTokenFault {
  nonce?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative makes the token already expired. */
  expiresIn?: number;
  /** Flip a byte of the signature after signing. */
  tamperSignature?: boolean;
  /**
   * Claim the person last authenticated this many seconds ago, as a provider that ignores
   * `prompt=login` and `max_age` would.
   */
  authenticatedSecondsAgo?: number;
}

export interface OidcProviderOptions {
  alg?: "RS256" | "ES256";
  clients: OidcClient[];
}

/** A running provider on 127.0.0.1. */
export interface OidcProvider {
  issuer: string;
  /** Who the next `/authorize` signs in (the provider's own login step, decided by the test). */
  signInAs(user: OidcUser): void;
  /** Departures from the rules for the next ID token only. */
  misbehaveOnce(fault: IdTokenFault): void;
  /** Token requests answered, by outcome, for assertions. */
  readonly tokenRequests: { status: number; error?: string }[];
  close(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  user: OidcUser;
  /** When the person last authenticated at the provider, in epoch seconds (`auth_time`). */
  authTime: number;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 300;

/**
 * A small OpenID Connect provider that follows the Core and Discovery specifications for the
 * authorisation code flow: discovery, JWKS, `/authorize` (PKCE S256 required, exact redirect URI
 * match, `prompt=login` and `max_age` honoured), `/token` (client_secret_basic or
 * client_secret_post, single-use codes, PKCE verified) and ID tokens with `auth_time`, signed
 * with RS256 or ES256. It listens on loopback only.
 */
export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProvider> {
  const alg = options.alg ?? "RS256";
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomBytes(8).toString("hex");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const clients = new Map(options.clients.map((client) => [client.clientId, client]));
  const grants = new Map<string, Grant>();
  const tokenRequests: { status: number; error?: string }[] = [];
  let user: OidcUser | undefined;
  /** The provider's own sessions: when each subject last authenticated, in epoch seconds. */
  const authenticatedAt = new Map<string, number>();
  let fault: IdTokenFault = {};
  let issuer = "";

  const metadata = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [alg],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    grant_types_supported: ["authorization_code"],
    scopes_supported: ["openid", "email", "profile"],
    claims_supported: ["sub", "email", "email_verified", "name", "groups", "nonce", "auth_time"],
  });

  const authorize = (url: URL, res: ServerResponse) => {
    const q = url.searchParams;
    const client = clients.get(q.get("client_id") ?? "");
    const redirectUri = q.get("redirect_uri") ?? "";
    // Without a known client and its exact redirect URI, nothing may be redirected anywhere.
    if (!client?.redirectUris.includes(redirectUri)) {
      return json(res, 400, { error: "invalid_request", error_description: "unknown client" });
    }
    const back = new URL(redirectUri);
    const state = q.get("state");
    if (state !== null) back.searchParams.set("state", state);
    back.searchParams.set("iss", issuer);
    const refuse = (error: string, description: string) => {
      back.searchParams.set("error", error);
      back.searchParams.set("error_description", description);
      redirect(res, back);
    };

    if (q.get("response_type") !== "code") return refuse("unsupported_response_type", "code only");
    if (!(q.get("scope") ?? "").split(" ").includes("openid")) {
      return refuse("invalid_scope", "openid scope required");
    }
    const challenge = q.get("code_challenge");
    if (!challenge || q.get("code_challenge_method") !== "S256") {
      return refuse("invalid_request", "PKCE with S256 is required");
    }
    if (!user) return refuse("login_required", "no user is signed in at the provider");
    const maxAge = q.get("max_age");
    if (maxAge !== null && !/^\d+$/.test(maxAge)) {
      return refuse("invalid_request", "max_age must be a number of seconds");
    }

    // The provider's session stands in for a login unless the client asks for a fresh one
    // (`prompt=login`) or it is older than `max_age` (0: always log in again).
    const now = Math.floor(Date.now() / 1000);
    const last = authenticatedAt.get(user.sub);
    const loginAgain =
      last === undefined ||
      (q.get("prompt") ?? "").split(" ").includes("login") ||
      (maxAge !== null && now - last >= Number(maxAge));
    const authTime = loginAgain ? now : last;
    authenticatedAt.set(user.sub, authTime);

    const code = randomBytes(24).toString("base64url");
    grants.set(code, {
      clientId: client.clientId,
      redirectUri,
      challenge,
      nonce: q.get("nonce") ?? undefined,
      user,
      authTime,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    back.searchParams.set("code", code);
    redirect(res, back);
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const refuse = (status: number, error: string, description: string) => {
      tokenRequests.push({ status, error });
      json(res, status, { error, error_description: description });
    };

    const client = authenticateClient(req, form, clients);
    if (!client) return refuse(401, "invalid_client", "client authentication failed");
    if (form.get("grant_type") !== "authorization_code") {
      return refuse(400, "unsupported_grant_type", "authorization_code only");
    }
    const code = form.get("code") ?? "";
    const grant = grants.get(code);
    grants.delete(code);
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== client.clientId) {
      return refuse(400, "invalid_grant", "unknown, used or expired code");
    }
    if (form.get("redirect_uri") !== grant.redirectUri) {
      return refuse(400, "invalid_grant", "redirect_uri differs from the authorisation request");
    }
    const verifier = form.get("code_verifier") ?? "";
    const computed = createHash("sha256").update(verifier).digest("base64url");
    if (computed !== grant.challenge) return refuse(400, "invalid_grant", "PKCE check failed");

    const idToken = await signIdToken(grant, client.clientId);
    tokenRequests.push({ status: 200 });
    json(res, 200, {
      access_token: randomBytes(24).toString("base64url"),
      token_type: "Bearer",
      expires_in: TOKEN_TTL_S,
      id_token: idToken,
    });
  };

  const signIdToken = async (grant: Grant, clientId: string): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const applied = fault;
    fault = {};
    const authTime =
      applied.authenticatedSecondsAgo === undefined
        ? grant.authTime
        : now - applied.authenticatedSecondsAgo;
    const claims = {
      auth_time: authTime,
      email: grant.user.email,
      email_verified: grant.user.emailVerified ?? true,
      ...(grant.user.name === undefined ? {} : { name: grant.user.name }),
      ...(grant.user.groups === undefined ? {} : { groups: grant.user.groups }),
      ...(grant.nonce === undefined && applied.nonce === undefined
        ? {}
        : { nonce: applied.nonce ?? grant.nonce }),
    };
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg, kid, typ: "JWT" })
      .setIssuer(applied.issuer ?? issuer)
      .setSubject(grant.user.sub)
      .setAudience(applied.audience ?? clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + (applied.expiresIn ?? TOKEN_TTL_S))
      .sign(privateKey);
    return applied.tamperSignature ? tamper(jwt) : jwt;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /.well-known/openid-configuration") return json(res, 200, metadata());
    if (route === "GET /jwks") return json(res, 200, { keys: [jwk] });
    if (route === "GET /authorize") return authorize(url, res);
    if (route === "POST /token") {
      token(req, res).catch(() => json(res, 500, { error: "server_error" }));
      return;
    }
    json(res, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    signInAs: (next) => {
      user = next;
    },
    misbehaveOnce: (next) => {
      fault = next;
    },
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** client_secret_basic (form-encoded id and secret, RFC 6749 §2.3.1) or client_secret_post. */
function authenticateClient(
  req: IncomingMessage,
  form: URLSearchParams,
  clients: Map<string, OidcClient>,
): OidcClient | undefined {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  let id = form.get("client_id") ?? "";
  let secret = form.get("client_secret") ?? "";
  if (basic !== undefined) {
    const [user = "", pass = ""] = Buffer.from(basic, "base64").toString("utf8").split(":");
    id = decodeURIComponent(user.replace(/\+/g, " "));
    secret = decodeURIComponent(pass.replace(/\+/g, " "));
  }
  const client = clients.get(id);
  return client && client.clientSecret === secret ? client : undefined;
}

/** Changes one character in the middle of the signature, keeping it valid base64url. */
function tamper(jwt: string): string {
  const [header, payload, signature = ""] = jwt.split(".");
  const at = Math.floor(signature.length / 2);
  const swapped = signature[at] === "A" ? "B" : "A";
  return `${header}.${payload}.${signature.slice(0, at)}${swapped}${signature.slice(at + 1)}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function redirect(res: ServerResponse, location: URL): void {
  res.writeHead(302, { location: location.toString() });
  res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
