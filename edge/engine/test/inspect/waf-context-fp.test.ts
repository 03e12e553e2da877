import { describe, expect, it } from "vitest";
import { compileProfiles, defaultProfiles, inspectRequest } from "../../src/inspect/index.ts";
import { request } from "./helpers.ts";

/*
 * Values that read like an attack word by word but cannot run as one, each beside the attack
 * it resembles, so a rule that is loosened too far or tightened back fails here by name.
 */
const compiled = compileProfiles(defaultProfiles());

function ids(target: string, body = "") {
  const headers: [string, string][] = body
    ? [["Content-Type", "application/x-www-form-urlencoded"]]
    : [];
  const result = inspectRequest(compiled, request(body ? "POST" : "GET", target, headers, body));
  return result.detections.map((d) => d.id);
}

describe("shell commands need a command line", () => {
  it.each(["/s?field=lastlogin", "/s?format=lastlog", "/s?foo=exec%20%28"])(
    "leaves the bare word or call in %s alone",
    (target) => expect(ids(target)).toEqual([]),
  );

  it.each(["/s?a=%3Blastlog%20-u%20root", "/s?a=exec%205%3C%3E/dev/tcp/10.0.0.1/80"])(
    "flags the command with arguments in %s",
    (target) => expect(ids(target)).toContain("rce-unix-command"),
  );

  it.each([
    "/s?c=time+ifconfig",
    "/s?c=time+bsdtar+-xf+x",
    "/s?c=%3Btrap%20%27rm%20-rf%20file.txt%27%20SIGEXIT",
  ])("flags a command run through a wrapper in %s", (target) => {
    expect(ids(target)).toContain("rce-unix-command");
  });

  it.each(["/s?q=time+he+came+home", "/s?q=nice+find+thanks", "/s?q=watch+cat+videos"])(
    "leaves a wrapper word followed by prose alone in %s",
    (target) => expect(ids(target)).toEqual([]),
  );

  it.each(["IF++++%5B%251%5D%3D%3D%5B%5D+++ECHO+Value+Missing", "IF+red%3D%3Dred+++echo+test"])(
    "flags a cmd.exe if comparison in %s",
    (value) => expect(ids(`/s?c=${value}`)).toContain("rce-windows-command"),
  );

  it("reads backticks around a plain name as a MySQL identifier", () => {
    expect(ids("/p", "email=%60foo%60%3B%60bar%60%3B%60def%60")).toEqual([]);
  });

  it.each(["%60id%60", "%60%2Fbin%2Fls%60", "%60w'h'oami%60", "%60cat%20%2Fetc%2Fhosts%60"])(
    "flags command substitution in %s",
    (value) => expect(ids(`/s?q=${value}`)).toContain("rce-shell-substitution"),
  );
});

describe("SQL needs a statement that runs", () => {
  it("reads `1 is not 1` as one comparison", () => {
    expect(ids("/s?a=1%20is%20not%201")).toEqual([]);
  });

  it("still flags a tautology joined by a boolean", () => {
    expect(ids("/s?a=1%20or%201%20is%20not%20null")).toContain("sqli-structure");
  });

  it("reads a directions sentence starting with a function name as prose", () => {
    const text = "Left (WA, RR), following wood edge south for half a mile to the farm (5647).";
    expect(ids("/p", `payload=${encodeURIComponent(text)}`)).toEqual([]);
  });

  it.each(["left (1,1) or 1=1", "sleep (5)-- wood edge south", "sleep (5) or 'wood edge south'"])(
    "does not let words in comments or strings excuse %s",
    (value) => expect(ids(`/s?id=${encodeURIComponent(value)}`)).not.toEqual([]),
  );

  it("needs an operand after a stacked keyword", () => {
    expect(ids("/p", "pay%3D%3Bset+%40")).toEqual([]);
    expect(ids("/p", `q=${encodeURIComponent("1;set @a=(select password from users)")}`)).toContain(
      "sqli-structure",
    );
  });
});

describe("framing-like values", () => {
  it("leaves an encoded slash inside one path segment alone", () => {
    expect(ids("/get/url%2Fbla%3Ftest%3D1%26sort%3D0")).toEqual([]);
  });

  it.each(["/a/..%2Fsecret", "/a%2F..%2Fsecret", "/a/%2E%2E%2Fb", "/a%5Cb"])(
    "flags an encoded separator that hides a dot segment or is a backslash in %s",
    (target) => expect(ids(target)).toContain("path-encoded-separator"),
  );

  it("needs a header value after an injected header name", () => {
    expect(ids("/f?v=%0A%0Dlocation:%0A%0D")).toEqual([]);
    expect(ids("/f?v=%0D%0ALocation:%20http://evil.example/")).toContain(
      "protocol-response-splitting",
    );
  });
});

describe("Windows system paths", () => {
  it("leaves a path into System32 that names no system file alone", () => {
    expect(ids("/p", "payload=C:%5CWindows%5CSystem32%5Cls")).toEqual([]);
  });

  it.each([
    "C:%5CWindows%5CSystem32%5Cconfig%5CSAM",
    "C:%5CWindows%5CSystem32%5Cdrivers%5Cetc%5Chosts",
    "c:/windows/system32/cmd.exe",
  ])("flags a system file in %s", (value) => {
    expect(ids("/p", `file=${value}`)).toContain("lfi-sensitive-file");
  });
});
