import { DEMO_OWNER_EMAIL } from "@ringfence/db";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll } from "vitest";
import {
  buildConsole,
  DEMO_PASSWORD,
  launchBrowser,
  removeDir,
  seededDataDir,
  startConsole,
} from "./harness.ts";
import { WatchedPage } from "./watched-page.ts";

/** A console on its own seeded data directory with a watched Chromium page on it. */
export interface ConsoleSession {
  origin: string;
  watched: WatchedPage;
  page: Page;
  url(path: string): string;
  close(): Promise<void>;
}

/**
 * Builds (once per run), seeds, starts the server with `settings` and opens Chromium, which may
 * also reach the loopback origins in `alsoAllowed` (a set the test may fill later).
 */
export async function openConsole(
  settings: Record<string, string> = {},
  alsoAllowed: ReadonlySet<string> = new Set(),
): Promise<ConsoleSession> {
  await buildConsole();
  const { root, dataDir } = await seededDataDir();
  const server = await startConsole(dataDir, settings);
  let context: BrowserContext | undefined;
  try {
    context = await launchBrowser(root, server.url, alsoAllowed);
    const watched = await WatchedPage.open(context);
    const opened = context;
    return {
      origin: server.url,
      watched,
      page: watched.page,
      url: (path) => `${server.url}${path}`,
      close: async () => {
        await opened.close();
        await server.stop();
        await removeDir(root);
      },
    };
  } catch (error) {
    await server.stop();
    await removeDir(root);
    throw error;
  }
}

/**
 * Awaits what a browser suite opens at its top level (the console, a loopback server) and closes
 * it after the suite's last test, so each suite states only what is its own:
 * `const session = await forThisSuite(openConsole());`. A failure to open fails the file.
 */
export async function forThisSuite<T extends { close(): Promise<void> }>(
  opening: Promise<T>,
): Promise<T> {
  const opened = await opening;
  afterAll(() => opened.close());
  return opened;
}

/** Signs the demo owner in from the keyboard; answers the organisation's path. */
export async function signInOwner(session: ConsoleSession): Promise<string> {
  const { page } = session;
  await page.goto(session.url("/sign-in"));
  await page.getByLabel("Email", { exact: true }).fill(DEMO_OWNER_EMAIL);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(/\/orgs\/[^/]+$/);
  return new URL(page.url()).pathname;
}

/** Opens a section from the sidebar and waits for its requests to settle. */
export async function goTo(page: Page, section: string): Promise<void> {
  await page
    .getByRole("navigation", { name: "Sections" })
    .getByRole("link", { name: section, exact: true })
    .click();
  await page.waitForLoadState("networkidle");
}

/** Creates a registration token on the Enforcers page, as an operator would. */
export async function registrationToken(page: Page, name: string): Promise<string> {
  await goTo(page, "Enforcers");
  await page.getByLabel("Enforcer name").fill(name);
  await page.getByRole("button", { name: "Create registration token" }).click();
  return (await page.getByTestId("shown-once").textContent()) ?? "";
}

/**
 * Holds the page's requests to `pattern` while `whileHeld` runs (to see a loading state), then
 * lets them go and waits for `afterwards`. Unrouting waits for that: a handler still holding a
 * request when it is removed would let the request bypass it.
 */
export async function withRequestsHeld(
  page: Page,
  pattern: string,
  whileHeld: () => Promise<void>,
  afterwards: () => Promise<void>,
): Promise<void> {
  let release = () => {};
  const held = new Promise<void>((done) => {
    release = done;
  });
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  try {
    await whileHeld();
  } finally {
    release();
  }
  await afterwards();
  await page.unroute(pattern);
}
