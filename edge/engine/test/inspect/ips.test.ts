import { describe, expect, it } from "vitest";
import { compileProfiles, inspectRequest } from "../../src/inspect/index.ts";
import { request } from "./helpers.ts";

/*
 * The IPS prefilter searches each buffer (request line, headers, body) on its own. A signature
 * must fire from whichever buffer it names, including the end of a large body, and never from
 * another buffer's text.
 */
const compiled = compileProfiles([{ id: "ips", kind: "ips", builtin: true }]);
/** A Log4j lookup; the escaped brace keeps it a plain string, not a placeholder. */
const LOOKUP = `$\{jndi:ldap://x/a}`;

function ipsIds(target: string, headers: [string, string][], body = ""): string[] {
  const found = inspectRequest(compiled, request("POST", target, headers, body)).detections;
  return found.filter((d) => d.category === "ips").map((d) => d.id);
}

describe("built-in IPS signatures", () => {
  it("fire from the header, URI and body buffers they name", () => {
    expect(ipsIds("/", [["X-Api", LOOKUP]])).toContain("ips-log4shell");
    expect(ipsIds("/a?q=JNDI", [])).toContain("ips-log4shell-uri");
    const form: [string, string] = ["Content-Type", "application/x-www-form-urlencoded"];
    const tail = `${"a=b&".repeat(20_000)}class.module.classLoader.x=1`;
    expect(ipsIds("/", [form], tail)).toContain("ips-spring4shell");
  });

  it("do not fire from a buffer they do not name", () => {
    expect(ipsIds("/", [], LOOKUP)).not.toContain("ips-log4shell");
    expect(ipsIds("/", [["X-Note", "jndi"]])).not.toContain("ips-log4shell-uri");
  });
});
