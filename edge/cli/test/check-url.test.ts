import { describe, expect, it } from "vitest";
import { fixture, jsonLines, ringfence } from "./run-cli.ts";

describe("ringfence check-url", () => {
  it("prints one JSON line per URL, judging lexically by default", async () => {
    const run = await ringfence(
      "check-url",
      "http://0251.0376.0251.0376/latest/meta-data/iam/",
      "https://example.com/",
      "http://[::ffff:127.0.0.1]:8080/",
      "gopher://example.com/_x",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run)).toEqual([
      {
        url: "http://0251.0376.0251.0376/latest/meta-data/iam/",
        verdict: "block",
        reason: "metadata-address",
        address: "169.254.169.254",
        category: "metadata",
        endpoint: "instance-metadata",
      },
      { url: "https://example.com/", verdict: "allow", reason: "hostname", address: null },
      {
        url: "http://[::ffff:127.0.0.1]:8080/",
        verdict: "block",
        reason: "non-global-address",
        address: "::ffff:7f00:1",
        category: "loopback",
      },
      {
        url: "gopher://example.com/_x",
        verdict: "block",
        reason: "unsupported-scheme",
        address: null,
      },
    ]);
  });

  it("resolves through a hosts file and judges the addresses names point to", async () => {
    const run = await ringfence(
      "check-url",
      "--resolve",
      "--hosts",
      fixture("hosts"),
      "--allow",
      "db.internal",
      "http://www.example.com/",
      "http://innocent.example/",
      "http://rebind.example/",
      "http://db.internal:5432/",
      "http://not-listed.example/",
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run) as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.verdict, l.reason, l.address])).toEqual([
      ["allow", "public-address", "93.184.215.14"],
      ["block", "metadata-address", "169.254.169.254"],
      ["block", "non-global-address", "127.0.0.1"],
      ["allow", "allowlisted", "10.1.2.3"],
      ["block", "resolver-error", null],
    ]);
  });

  it("keeps metadata blocked when everything is allowlisted", async () => {
    const run = await ringfence(
      "check-url",
      "--allow",
      "0.0.0.0/0",
      "--allow",
      "::/0",
      "http://127.0.0.1/",
      "http://0xa9fea9fe/",
    );
    const lines = jsonLines(run) as Array<Record<string, unknown>>;
    expect(lines.map((l) => l.verdict)).toEqual(["allow", "block"]);
  });

  it.each([
    [["check-url"], /give at least one URL/],
    [["check-url", "--hosts", "x", "http://a/"], /--hosts needs --resolve/],
    [["check-url", "--allow", "10.0.0.1/8", "http://a/"], /--allow: allow\[0\].*host bits/],
    [["check-url", "--bogus", "http://a/"], /Unknown option '--bogus'/],
    [["no-such-command"], /unknown command "no-such-command"/],
  ])("exits 2 with a one-line usage error for %j", async (args, message) => {
    const run = await ringfence(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  it("exits 1 naming the line of a malformed hosts file", async () => {
    const run = await ringfence(
      "check-url",
      "--resolve",
      "--hosts",
      fixture("policy.yaml"),
      "http://a/",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/policy\.yaml:3: expected "address name…"/);
  });
});
