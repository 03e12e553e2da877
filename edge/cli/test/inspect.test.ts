import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonLines, ringfence } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "ringfence-cli-inspect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` under the test's temporary directory and returns the path. */
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const requests = join(dir, "requests");
mkdirSync(requests);
writeFileSync(
  join(requests, "1-clean.http"),
  "GET /search?q=red+shoes HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: curl/8\r\n\r\n",
);
writeFileSync(
  join(requests, "2-sqli.http"),
  "GET /search?q=1%27%20union%20select%20password%20from%20users-- HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: curl/8\r\n\r\n",
);
writeFileSync(
  join(requests, "3-smuggled.http"),
  "POST /x HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
);
writeFileSync(join(requests, "4-garbage.http"), "\u0000\u0001 not http at all");

type Line = {
  request: string;
  action: string;
  score: number;
  detections: { id: string; category: string; location: string; evidence: string }[];
};

describe("ringfence inspect", () => {
  it("prints one verdict per request file of a directory, in name order", async () => {
    const run = await ringfence("inspect", "--profile", "default", "--request", requests);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run) as Line[];
    expect(lines.map((l) => [l.request.slice(requests.length + 1), l.action])).toEqual([
      ["1-clean.http", "allow"],
      ["2-sqli.http", "block"],
      ["3-smuggled.http", "block"],
      ["4-garbage.http", "block"],
    ]);
    expect(lines[0]?.detections).toEqual([]);
    expect(lines[1]?.detections).toContainEqual(
      expect.objectContaining({ category: "sqli", location: "args:q" }),
    );
    expect(lines[1]?.score).toBeGreaterThanOrEqual(5);
    // Framing and garbage are protocol detections, never a crash.
    expect(lines[2]?.detections.map((d) => d.id)).toContain("protocol-cl-te");
    expect(lines[3]?.detections.some((d) => d.category === "protocol")).toBe(true);
  });

  it("reports what a monitor-mode profile file would have blocked without blocking", async () => {
    const profile = file(
      "monitor.yaml",
      "- kind: waf\n  id: waf-monitor\n  paranoia: 1\n  mode: monitor\n",
    );
    const run = await ringfence(
      "inspect",
      "--profile",
      profile,
      "--request",
      join(requests, "2-sqli.http"),
    );
    expect(run.code, run.stderr).toBe(0);
    const [line] = jsonLines(run) as Line[];
    expect(line?.action).toBe("monitor");
    expect(line?.detections.length).toBeGreaterThan(0);
  });

  it("runs IPS response signatures of a profile file against --response", async () => {
    const profile = file(
      "ips.yaml",
      [
        "- kind: ips",
        "  id: leak",
        "  signatures:",
        "    - id: passwd-in-response",
        "      name: /etc/passwd served",
        "      buffer: response-body",
        '      contents: [{ match: "root:x:0:0:" }]',
        "      regex: 'root:x:0:0:[^:]*:/root'",
        "",
      ].join("\n"),
    );
    const leak = file("leak.http", "HTTP/1.1 200 OK\r\n\r\nroot:x:0:0:root:/root:/bin/bash\n");
    const clean = file("clean.http", 'HTTP/1.1 200 OK\r\n\r\n{"ok":true}');
    const verdict = async (response: string) => {
      const run = await ringfence(
        "inspect",
        "--profile",
        profile,
        "--request",
        join(requests, "1-clean.http"),
        "--response",
        response,
      );
      expect(run.code, run.stderr).toBe(0);
      return (jsonLines(run) as Line[])[0];
    };
    const leaked = await verdict(leak);
    expect(leaked?.action).toBe("block");
    expect(leaked?.detections.map((d) => d.id)).toContain("passwd-in-response");
    expect((await verdict(clean))?.action).toBe("allow");
  });

  it.each([
    [["inspect", "--request", "x"], 2, /--profile FILE\|default is required/],
    [["inspect", "--profile", "default"], 2, /give at least one --request PATH/],
    [["inspect", "--profile", "default", "--paranoia", "7", "--request", "x"], 2, /paranoia/],
    [["inspect", "--profile", "default", "--request", "/nonexistent/req.http"], 1, /nonexistent/],
  ])("refuses %j with exit %i and says why", async (args, code, message) => {
    const run = await ringfence(...args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  it("names the profile file and its problem when a profile does not compile", async () => {
    const bad = file("bad.yaml", "- kind: waf\n  id: w\n  paranoia: 9\n");
    const run = await ringfence("inspect", "--profile", bad, "--request", requests);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bad.yaml");
  });
});

describe("ringfence dlp-scan", () => {
  it("counts validated findings per file and leaves near misses and clean files empty", async () => {
    const leaky = file(
      "leaky.txt",
      "card 4111 1111 1111 1111, again 4111-1111-1111-1111\nssn 123-45-6789\nkey AKIAIOSFODNN7EXAMPLE\n",
    );
    const near = file(
      "near.txt",
      "card 4111 1111 1111 1112 ssn 666-12-3456 order 1234567890123456\n",
    );
    const run = await ringfence("dlp-scan", "--profile", "default", leaky, near);
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = jsonLines(run) as {
      file: string;
      findings: { detector: string; count: number; evidence: string }[];
    }[];
    expect(first?.file).toBe(leaky);
    const byDetector = Object.fromEntries(first?.findings.map((f) => [f.detector, f]) ?? []);
    expect(Object.keys(byDetector)).toEqual(
      expect.arrayContaining(["credit-card", "us-ssn", "aws-access-key-id"]),
    );
    expect(JSON.stringify(first)).not.toContain("123-45-6789");
    expect(second).toEqual({ file: near, findings: [] });
  });

  it("finds a card that straddles the 64 KiB read boundary exactly once", async () => {
    const pad = "x ".repeat(32 * 1024 - 4);
    const big = file("big.txt", `${pad}4111 1111 1111 1111 ${"y ".repeat(1000)}`);
    const run = await ringfence("dlp-scan", "--profile", "default", big);
    expect(run.code, run.stderr).toBe(0);
    const [line] = jsonLines(run) as { findings: { detector: string; count: number }[] }[];
    expect(line?.findings).toEqual([
      expect.objectContaining({ detector: "credit-card", count: 1 }),
    ]);
  });

  it("refuses a missing file with exit 1 and its name", async () => {
    const run = await ringfence("dlp-scan", "--profile", "default", "/nonexistent/dump.sql");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("/nonexistent/dump.sql");
  });
});
