import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OFFLINE_ENV, startWranglerDev } from "./wrangler-dev.ts";

const scratch = mkdtempSync(join(tmpdir(), "ringfence-offline-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CF_WARNING = "Unable to fetch the `Request.cf` object";

/**
 * Runs `wrangler dev` in a network namespace of its own with only loopback up (so nothing can
 * leave even if something tries) under strace, and returns what it printed and every address
 * any of its processes tried to connect to. MINIFLARE_CACHE_DIR points at an empty directory,
 * so no cached Request.cf data can hide a download attempt.
 */
async function connectsOfWranglerDev(name: string, env: Record<string, string>) {
  const trace = join(scratch, `${name}.strace`);
  const sandbox = 'ip link set lo up && exec strace -f -qq -e trace=connect -o "$0" "$@"';
  const dev = await startWranglerDev(["--persist-to", join(scratch, `${name}-state`)], {
    // Miniflare never downloads under NODE_ENV=test, which vitest sets; the run command does
    // not, so both runs here use what it uses.
    env: { ...env, NODE_ENV: "development", MINIFLARE_CACHE_DIR: join(scratch, `${name}-cache`) },
    wrapper: ["unshare", "--net", "sh", "-c", sandbox, trace],
  });
  // Request.cf is loaded before the ready line; a moment more catches anything just after it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await dev.stop();
  const pattern = /inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"/g;
  const text = readFileSync(trace, "utf8");
  const addresses = [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? "");
  const dns = /htons\(53\)/.test(text);
  return { output: dev.output, addresses, dns };
}

const isLoopback = (address: string) => address.startsWith("127.") || address === "::1";

describe("wrangler dev stays on loopback", () => {
  it("with the documented environment it connects to nothing beyond loopback", async () => {
    const run = await connectsOfWranglerDev("offline", OFFLINE_ENV);
    expect(run.output).not.toContain(CF_WARNING);
    expect(
      run.addresses.filter((a) => !isLoopback(a)),
      run.addresses.join(" "),
    ).toEqual([]);
    expect(run.dns, "no DNS query").toBe(false);
  }, 180_000);

  it("with CLOUDFLARE_CF_FETCH_ENABLED=true instead it tries to download Request.cf", async () => {
    // The control that shows the check above can see an attempt: the namespace refuses it.
    const withoutSwitch = { ...OFFLINE_ENV, CLOUDFLARE_CF_FETCH_ENABLED: "true" };
    const run = await connectsOfWranglerDev("online", withoutSwitch);
    expect(run.output).toContain(CF_WARNING);
    const outside = run.addresses.filter((a) => !isLoopback(a));
    expect(outside.length > 0 || run.dns, run.addresses.join(" ")).toBe(true);
  }, 180_000);
});
