import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openDatabase, seedDemo } from "@ringfence/db";
import { type BrowserContext, chromium } from "playwright-core";
import { inject } from "vitest";

/** The web package's folder, where `next build` and `next start` run. */
export const WEB_DIR = resolve(import.meta.dirname, "../..");
export const SCREENSHOT_DIR = join(WEB_DIR, "test-results", "screenshots");
export const DEMO_PASSWORD = "demo-password-for-browser-tests";

/** Debian's Chromium; a downloaded browser is never used. */
const CHROMIUM = "/usr/bin/chromium";

/** Flags that keep Chromium from reaching anything beyond our server on loopback. */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: "1" };

/** Runs a command to completion, failing with its output when it exits non-zero. */
function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: WEB_DIR, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", fail);
    child.on("exit", (code) =>
      code === 0
        ? done()
        : fail(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * Builds the console once per run (set RINGFENCE_BROWSER_SKIP_BUILD=1 to reuse .next). The
 * global setup (build-once.ts) builds before any file runs; inside a test file this is then a
 * no-op, so several files share one build.
 */
export async function buildConsole(): Promise<void> {
  if (process.env.RINGFENCE_BROWSER_SKIP_BUILD === "1") return;
  if (safeInject()) return;
  await run("pnpm", ["exec", "next", "build"], NEXT_ENV);
}

/** Whether the global setup has built the console; false outside a test worker. */
function safeInject(): boolean {
  try {
    return inject("consoleBuilt") === true;
  } catch {
    return false;
  }
}

/** A data directory seeded with the demo organisation, opened and closed before the server. */
export async function seededDataDir(): Promise<{ root: string; dataDir: string }> {
  const root = await mkdtemp(join(tmpdir(), "ringfence-browser-"));
  const dataDir = join(root, "pgdata");
  const database = await openDatabase({ dataDir });
  try {
    await seedDemo(database.db, { password: DEMO_PASSWORD });
  } finally {
    await database.close();
  }
  return { root, dataDir };
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 right now, found by letting the kernel choose one. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/**
 * Starts `next start` on 127.0.0.1 with extra `settings` in its environment. The port is
 * chosen first, because the API judges its own origin (CSRF) by RINGFENCE_PUBLIC_URL when it
 * sits behind Next.js, whose handlers see the request URL Next rebuilt rather than the one the
 * browser used.
 */
export async function startConsole(
  dataDir: string,
  settings: Record<string, string> = {},
): Promise<RunningServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    ...settings,
    ...NEXT_ENV,
    RINGFENCE_DATA_DIR: dataDir,
    RINGFENCE_KEK: randomBytes(32).toString("base64"),
    RINGFENCE_PUBLIC_URL: origin,
    RINGFENCE_TRUST_PROXY: "true",
    RINGFENCE_LOG: "silent",
  };
  const child = spawn("pnpm", ["exec", "next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: WEB_DIR,
    env: { ...process.env, ...env },
    detached: true,
  });
  await readyUrl(child);
  return { url: origin, stop: () => stopGroup(child) };
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`next start did not start:\n${output}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1] && match[1] !== "0") {
        clearTimeout(timer);
        done(`http://127.0.0.1:${match[1]}`);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => fail(new Error(`next start exited ${code}:\n${output}`)));
  });
}

/** Stops the server's whole process group (pnpm, next and its workers) by the id we recorded. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  process.kill(-child.pid, "SIGTERM");
  const timeout = new Promise((done) => setTimeout(done, 10_000));
  await Promise.race([exited, timeout]);
  if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
}

/**
 * Launches Chromium with a fresh profile. Every request to anything but our server (and the
 * loopback servers of the test in `alsoAllowed`, such as an identity provider, which may be
 * added after launch) is aborted, so a page that tried to reach another host would fail
 * visibly instead of leaking.
 */
export async function launchBrowser(
  root: string,
  origin: string,
  alsoAllowed: ReadonlySet<string> = new Set(),
): Promise<BrowserContext> {
  const userDataDir = join(root, "chromium-profile");
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  await context.route("**/*", (route) => {
    const target = new URL(route.request().url()).origin;
    return target === origin || alsoAllowed.has(target) ? route.continue() : route.abort();
  });
  return context;
}

export async function removeDir(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}
