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

describe("IPS prefilter per buffer", () => {
  it("finds a body literal in any letter case, even at the end of a large body", () => {
    const form: [string, string] = ["Content-Type", "application/x-www-form-urlencoded"];
    const tail = `${"note=deliver before noon&".repeat(4_000)}CLASS.Module.ClassLoader.x=1`;
    expect(ipsIds("/", [form], tail)).toContain("ips-spring4shell");
    // The dot is a literal dot, not any char.
    expect(ipsIds("/", [form], "classXmoduleXclassloader=1")).not.toContain("ips-spring4shell");
  });

  // A buffer with a few signatures is searched one literal at a time, one with many through
  // the automaton: custom signatures with pattern metacharacters in their contents work in both.
  const literals = ["a+b(c)", "[x]*", "^end$", "x|y", "back\\slash", "dot.dot"];
  const custom = (count: number) =>
    compileProfiles([
      {
        id: "custom",
        kind: "ips",
        builtin: false,
        signatures: literals.slice(0, count).map((match, n) => ({
          id: `custom-${n}`,
          name: `custom ${n}`,
          buffer: "request-body" as const,
          contents: [{ match, nocase: true }],
        })),
      },
    ]);

  it.each([2, 6])("with %i literals in the body buffer, matches each literally", (count) => {
    const profiles = custom(count);
    for (const [n, match] of literals.slice(0, count).entries()) {
      const hit = inspectRequest(
        profiles,
        request("POST", "/", [], `zz ${match.toUpperCase()} zz`),
      );
      expect(hit.detections.map((d) => d.id)).toContain(`custom-${n}`);
    }
    const near = inspectRequest(profiles, request("POST", "/", [], "ab(c) x end dotXdot xy"));
    expect(near.detections.filter((d) => d.category === "ips")).toEqual([]);
  });
});
