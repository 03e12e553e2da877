import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileProfiles, defaultProfiles, inspectRequest } from "../../src/inspect/index.ts";
import {
  SEPARATOR_CHAR,
  SHELL_NOISE,
  SHELL_NOISE_OR_SEPARATOR,
} from "../../src/inspect/waf/rce.ts";
import { request } from "./helpers.ts";

/*
 * Detectors skip values that lack the characters their patterns need. These cases reach those
 * characters only through a decoding step (hex and \u escapes, url-safe base64, a command at
 * the very start), so a prefilter that looked at the wrong spelling would miss them.
 */
const compiled = compileProfiles(defaultProfiles());

function ids(query: string): string[] {
  const target = `/q?v=${encodeURIComponent(query)}`;
  return inspectRequest(compiled, request("GET", target, [], "")).detections.map((d) => d.id);
}

describe("detections whose trigger character only appears after decoding", () => {
  it.each([
    ["php-function-call", "system\\x28'id');"],
    ["php-variable-function", "$f\\x28'id')"],
    ["node-endless-loop", "while\\u0028true){}"],
    ["rce-unix-command", "cat /etc/shadow"],
    ["rce-unix-command", "c'a't /etc/shadow"],
    ["rce-windows-command", "cmd.exe /c whoami"],
    ["rce-windows-command", "if exist c:\\boot.ini echo x"],
    ["xss-dom-script", "document.body.appendChild(x)"],
    ["xss-js-sink-obfuscated", "document/**/.cookie"],
  ])("%s in %s", (id, value) => {
    expect(ids(value)).toContain(id);
  });

  it("reads url-safe base64 of a Java class name", () => {
    const encoded = btoa("java.lang.Runtime.getRuntime()>>>")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect(encoded).toMatch(/[-_]/);
    expect(ids(encoded)).toContain("java-serialized-object");
  });
});

describe("prose holding none of the trigger characters", () => {
  it("is left alone by every detector", () => {
    const prose = "deliver to the loading dock at the back of the building before noon ".repeat(50);
    expect(ids(prose)).toEqual([]);
  });
});

describe("the shared strict UTF-8 decoder", () => {
  it("reads a valid body correctly right after refusing an invalid one", () => {
    const json: [string, string] = ["Content-Type", "application/json"];
    const invalid = { ...request("POST", "/api", [json]), body: Uint8Array.of(0x7b, 0xff, 0x7d) };
    const bad = inspectRequest(compiled, invalid).detections.map((d) => d.id);
    expect(bad).toContain("protocol-charset-mismatch");
    const good = inspectRequest(compiled, request("POST", "/api", [json], '{"city": "Zürich"}'));
    expect(good.detections).toEqual([]);
  });
});

describe("the one-scan shell prefilter", () => {
  const either = (value: string) => SHELL_NOISE.test(value) || SEPARATOR_CHAR.test(value);

  it("matches exactly where the shell-noise or the separator test would", () => {
    const chars = [
      ..."a Z0/;|&`()\\'\"$\t\n\v\f\r\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u00e9\u200b",
    ];
    const text = fc.array(fc.constantFrom(...chars), { maxLength: 24 }).map((a) => a.join(""));
    fc.assert(
      fc.property(text, (value) => {
        expect(SHELL_NOISE_OR_SEPARATOR.test(value)).toBe(either(value));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees on every code unit alone and after a space", () => {
    for (let code = 0; code < 0x10000; code++) {
      for (const value of [String.fromCharCode(code), ` ${String.fromCharCode(code)}`]) {
        expect(SHELL_NOISE_OR_SEPARATOR.test(value), `U+${code.toString(16)}`).toBe(either(value));
      }
    }
  });
});
