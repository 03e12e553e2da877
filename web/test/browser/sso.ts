import type { Page } from "playwright-core";
import { expect } from "vitest";
import {
  type OidcProvider,
  type OidcUser,
  startOidcProvider,
} from "../../../test/oidc/provider.ts";
import { type DnsZone, startDnsZone } from "../support/dns-zone.ts";
import { type ConsoleSession, goTo, openConsole } from "./session.ts";

/** A console whose control plane reaches a DNS zone and an OpenID provider, both on loopback. */
export interface SsoConsole {
  session: ConsoleSession;
  zone: DnsZone;
  op: OidcProvider;
  close(): Promise<void>;
}

/**
 * Starts the DNS zone, the console (with `settings` besides the SSO ones) and then the provider,
 * which registers the console's callback once its port is known; Chromium may reach it too.
 */
export async function openConsoleWithSso(
  client: { clientId: string; clientSecret: string },
  settings: Record<string, string> = {},
): Promise<SsoConsole> {
  const zone = await startDnsZone();
  const alsoAllowed = new Set<string>();
  let session: ConsoleSession | undefined;
  try {
    session = await openConsole(
      {
        ...settings,
        RINGFENCE_SSO_EGRESS_ALLOW: "127.0.0.1",
        RINGFENCE_DNS_SERVERS: zone.server,
      },
      alsoAllowed,
    );
    const callback = `${session.origin}/api/v1/auth/sso/callback`;
    const op = await startOidcProvider({ clients: [{ ...client, redirectUris: [callback] }] });
    alsoAllowed.add(new URL(op.issuer).origin);
    const opened = session;
    return {
      session,
      zone,
      op,
      close: async () => {
        await opened.close();
        await op.close();
        await zone.close();
      },
    };
  } catch (error) {
    await session?.close();
    await zone.close();
    throw error;
  }
}

/** What an organisation's owner needs to connect the test OpenID provider from the console. */
export interface IdentityProviderSetup {
  zone: DnsZone;
  op: OidcProvider;
  domain: string;
  client: { clientId: string; clientSecret: string };
  /** Lines of `group=role` for the connection's group mapping, if any. */
  groupRoles?: string;
}

/**
 * Verifies `domain` by publishing its challenge in the loopback DNS zone, as the customer would,
 * then saves the provider's issuer and client on the Single sign-on page.
 */
export async function connectIdentityProvider(page: Page, setup: IdentityProviderSetup) {
  const { zone, op, domain, client } = setup;
  await goTo(page, "Single sign-on");
  await page.getByLabel("Email domain").fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  const row = page.getByRole("row").filter({ hasText: domain });
  await row.getByText("unverified").waitFor();
  const record = /^(\S+) TXT "(.+)"$/.exec(
    (await row.getByRole("cell").nth(1).textContent()) ?? "",
  );
  expect(record?.[1]).toBe(`_ringfence-challenge.${domain}`);
  zone.txt.set(record?.[1] ?? "", [[record?.[2] ?? ""]]);
  await row.getByRole("button", { name: "Verify" }).click();
  await row.getByText("verified", { exact: true }).waitFor();

  await page.getByLabel("Issuer").fill(op.issuer);
  await page.getByLabel("Client id").fill(client.clientId);
  await page.getByLabel("Client secret").fill(client.clientSecret);
  if (setup.groupRoles) await page.getByLabel(/^Group to role/).fill(setup.groupRoles);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText(/Redirect URI to register: .*\/api\/v1\/auth\/sso\/callback$/).waitFor();
  expect(await page.getByTestId("sso-state").count()).toBe(0);
}

/** Signs `user` in from the sign-in page through the provider, which logs them in as told. */
export async function signInWithSso(page: Page, op: OidcProvider, user: OidcUser) {
  op.signInAs(user);
  await page.getByLabel("Work address").fill(user.email ?? "");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
}
