import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main, renderDevVars } from "../../scripts/dev-vars.ts";

const scratch = mkdtempSync(join(tmpdir(), "ringfence-dev-vars-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const KEYS = '[{"keyId":"ed25519-abc","publicKey":"AAAA"}]';
const base = [
  ...["--control-plane-url", "http://127.0.0.1:3000/", "--credential", "rfe_x_0123456789abcdef"],
  ...["--organization-id", "org-1", "--trusted-keys", KEYS],
];

describe("dev-vars script", () => {
  it("writes every setting, generating the origin secret and status token, owner-only", () => {
    const out = join(scratch, "a.vars");
    main([...base, "--out", out]);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("CONTROL_PLANE_URL='http://127.0.0.1:3000/'");
    expect(text).toContain(`TRUSTED_KEYS='${JSON.stringify(JSON.parse(KEYS))}'`);
    expect(text).toMatch(/ORIGIN_SIGNING_SECRET='[A-Za-z0-9_-]{43}'/);
    expect(text).toMatch(/STATUS_TOKEN='[A-Za-z0-9_-]{32}'/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it("names the missing argument", () => {
    expect(() => main(["--credential", "x", "--out", join(scratch, "b.vars")])).toThrow(
      "--control-plane-url is required",
    );
  });

  it("refuses trusted keys that are not a key list", () => {
    const bad = [...base.slice(0, -1), '{"keyId":1}', "--out", join(scratch, "c.vars")];
    expect(() => main(bad)).toThrow(/--trusted-keys/);
  });

  it("refuses a value that would break out of its quotes", () => {
    const vars = { ...sample(), STATUS_TOKEN: "a'b" };
    expect(() => renderDevVars(vars)).toThrow(/STATUS_TOKEN/);
  });
});

function sample() {
  return {
    CONTROL_PLANE_URL: "http://127.0.0.1:3000/",
    ENFORCER_CREDENTIAL: "rfe_x",
    ORGANIZATION_ID: "org-1",
    TRUSTED_KEYS: KEYS,
    ORIGIN_SIGNING_SECRET: "s".repeat(32),
    STATUS_TOKEN: "t".repeat(16),
  };
}
