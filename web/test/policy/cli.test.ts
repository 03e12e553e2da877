import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { as, type DeployOrg, deployOrg, startDeployApp } from "./support.ts";

// `ringfence policy` as a separate process against the API served on 127.0.0.1.
const cliRoot = fileURLToPath(new URL("../../../edge/cli", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

let server: TestServer;
let org: DeployOrg;
let http: ReturnType<typeof serve>;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  server = await startDeployApp();
  org = await deployOrg(server, "cli");
  const key = await call(server.app, "POST", `/api/v1/orgs/${org.orgId}/api-keys`, {
    cookie: org.owner.cookie,
    body: { name: "ci", scope: "write" },
  });
  const port = await new Promise<number>((resolve) => {
    http = serve({ fetch: server.app.fetch, hostname: "127.0.0.1", port: 0 }, (info) =>
      resolve(info.port),
    );
  });
  env = {
    PATH: process.env.PATH ?? "",
    RINGFENCE_URL: `http://127.0.0.1:${port}`,
    RINGFENCE_API_KEY: key.json.secret as string,
    RINGFENCE_ORG: org.orgId,
  };
  dir = await mkdtemp(join(tmpdir(), "rf-policy-"));
  await as(server, org)("POST", "/objects", {
    id: "ops",
    kind: "static",
    addresses: ["10.1.0.0/16"],
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => http?.close(() => resolve()));
  await server?.close();
});

function ringfence(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ["src/main.ts", "policy", ...args],
      { cwd: cliRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("ringfence policy", () => {
  it("export → apply is a no-op → export is byte-identical", async () => {
    const first = await ringfence("export");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("id: ops");
    const file = join(dir, "policy.yaml");
    await writeFile(file, first.stdout);

    const applied = await ringfence("apply", file);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ changed: false });
    expect((await ringfence("export")).stdout).toBe(first.stdout);
  });

  it("diffs and applies an edited file", async () => {
    const text = (await ringfence("export")).stdout.replace("10.1.0.0/16", "10.2.0.0/16");
    const file = join(dir, "edited.yaml");
    await writeFile(file, text);
    const diff = await ringfence("diff", file);
    expect(JSON.parse(diff.stdout)).toMatchObject({ objects: { changed: ["ops"] } });
    expect(JSON.parse((await ringfence("apply", file)).stdout)).toMatchObject({ changed: true });
    expect((await ringfence("export")).stdout).toBe(text);
  });

  it("refuses an invalid file naming the file, path and field, applying nothing", async () => {
    const before = (await ringfence("export")).stdout;
    const file = join(dir, "bad.yaml");
    await writeFile(file, before.replace("defaultAction: deny", "defaultAction: perhaps"));
    const result = await ringfence("apply", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: $.ruleSets[0].defaultAction:`);
    expect((await ringfence("export")).stdout).toBe(before);
  });
});
