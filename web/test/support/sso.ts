import { type OidcProvider, startOidcProvider } from "../../../test/oidc/provider.ts";
import { prepareSso } from "../../src/server/services/sso/runtime.ts";
import { startTestApp, type TestServer } from "./app.ts";
import { call } from "./client.ts";
import { listen } from "./http.ts";
import { createOrg, signUpUser } from "./world.ts";

export const CLIENT_ID = "ringfence-console";
export const CLIENT_SECRET = "op-client-secret-for-tests";

/**
 * The control plane served on 127.0.0.1 next to a real OIDC provider on 127.0.0.1, with the
 * provider's address allowlisted for the control plane's outbound calls and a DNS zone of the
 * test's own for TXT lookups (the system resolver is never asked).
 */
export interface SsoWorld {
  server: TestServer;
  /** The control plane's origin, e.g. http://127.0.0.1:41234. */
  base: string;
  op: OidcProvider;
  /** TXT records by name, as the injected resolver answers them. */
  zone: Map<string, string[][]>;
  /** Addresses of host names, as the injected SSRF resolver answers them. */
  hosts: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startSsoWorld(alg: "RS256" | "ES256" = "RS256"): Promise<SsoWorld> {
  const server = await startTestApp({ RINGFENCE_TRUST_PROXY: "false" });
  const http = await listen(server.app);
  const op = await startOidcProvider({
    alg,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [`${http.url}/api/v1/auth/sso/callback`],
      },
    ],
  });
  const zone = new Map<string, string[][]>();
  const hosts = new Map<string, string[]>();
  prepareSso(server.database.db, {
    resolver: async (host) => {
      const addresses = hosts.get(host);
      if (!addresses) throw Object.assign(new Error(`no test host ${host}`), { code: "ENOTFOUND" });
      return addresses;
    },
    egressAllow: ["127.0.0.1"],
    resolveTxt: async (name) => {
      const records = zone.get(name);
      if (!records) throw Object.assign(new Error(`no TXT for ${name}`), { code: "ENOTFOUND" });
      return records;
    },
  });
  return {
    server,
    base: http.url,
    op,
    zone,
    hosts,
    close: async () => {
      await op.close();
      await http.close();
      await server.close();
    },
  };
}

/** One HTTP exchange that does not follow redirects, with the cookies it set. */
export interface Hop {
  status: number;
  location: string | null;
  cookies: Map<string, string>;
  body: string;
}

export async function hop(url: string, cookies: Record<string, string> = {}, accept?: string) {
  const cookie = Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
  const response = await fetch(url, {
    redirect: "manual",
    headers: { ...(cookie ? { cookie } : {}), ...(accept ? { accept } : {}) },
  });
  const set = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const match = /^([^=]+)=([^;]*)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) set.set(match[1], match[2]);
  }
  return {
    status: response.status,
    location: response.headers.get("location"),
    cookies: set,
    body: await response.text(),
  } satisfies Hop;
}

/**
 * The browser's walk to the provider and back, stopping before the callback is sent; `cookies`
 * go to the start (a session's, for step-up).
 */
export async function toCallback(
  world: SsoWorld,
  startQuery: string,
  cookies: Record<string, string> = {},
) {
  const start = await hop(`${world.base}/api/v1/auth/sso/start?${startQuery}`, cookies);
  if (start.status !== 302 || !start.location) {
    throw new Error(`start answered ${start.status}: ${start.body}`);
  }
  const state = start.cookies.get("rf_sso_state") ?? "";
  const atProvider = await hop(start.location);
  if (atProvider.status !== 302 || !atProvider.location) {
    throw new Error(`provider answered ${atProvider.status}: ${atProvider.body}`);
  }
  return { authorizeUrl: start.location, callbackUrl: atProvider.location, state };
}

/** The whole sign-in; returns the callback's answer. */
export async function ssoSignIn(world: SsoWorld, startQuery: string): Promise<Hop> {
  const { callbackUrl, state } = await toCallback(world, startQuery);
  return hop(callbackUrl, { rf_sso_state: state });
}

/**
 * An organisation whose owner (signed up with a password) has verified `domain` through the
 * test zone and saved a connection to the world's provider with `connection` on top.
 */
export async function ssoOrganization(
  world: SsoWorld,
  label: string,
  domain: string,
  connection: Record<string, unknown> = {},
) {
  const owner = await signUpUser(world.server.app, `${label}-owner`);
  const slug = `${label}-${Date.now()}`;
  const orgId = await createOrg(world.server.app, owner, slug);
  const api = (method: string, path: string, body: unknown) =>
    call(world.server.app, method, path, { cookie: owner.cookie, body });

  const added = await api("POST", `/api/v1/orgs/${orgId}/sso/domains`, { domain });
  world.zone.set(added.json.txtName as string, [[added.json.txtValue as string]]);
  await api("POST", `/api/v1/orgs/${orgId}/sso/domains/${added.json.id}/verify`, {});
  const saved = await api("PUT", `/api/v1/orgs/${orgId}/sso`, {
    issuer: world.op.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...connection,
  });
  if (saved.status !== 200) throw new Error(`saving the connection failed: ${saved.body}`);
  return { owner, slug, orgId };
}
