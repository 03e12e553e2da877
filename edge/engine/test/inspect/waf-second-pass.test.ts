import { describe, expect, it } from "vitest";
import { compileProfiles, defaultProfiles, inspectRequest } from "../../src/inspect/index.ts";
import { request } from "./helpers.ts";

const compiled = compileProfiles(defaultProfiles());

function ids(method: string, target: string, headers: [string, string][] = [], body = "") {
  return inspectRequest(compiled, request(method, target, headers, body)).detections.map(
    (d) => d.id,
  );
}

function multipart(parts: string[]): [[string, string][], string] {
  const body = `${parts.map((p) => `--XyZ\n${p}\n`).join("")}--XyZ--\n`;
  return [[["Content-Type", "multipart/form-data; boundary=XyZ"]], body];
}

describe("session fixation judged by where the request came from", () => {
  it.each(["next-auth.session-token", "koa:sess", "cfsid", "_rails_session", "meteor_login_token"])(
    "flags the session argument %s linked from another site",
    (name) => {
      const found = ids("GET", `/login?${name}=abc123`, [["Referer", "https://evil.example/"]]);
      expect(found).toContain("session-id-in-args");
    },
  );

  it("lets the application's own links carry a session id", () => {
    const found = ids("GET", "/login?jsessionid=abc123", [["Referer", "http://app.example/a"]]);
    expect(found).toEqual([]);
  });
});

describe("multipart parts", () => {
  it("accepts parts separated by bare LF, with and without part headers", () => {
    const [headers, body] = multipart([
      'Content-Disposition: form-data; name="a"\nContent-Type: text/plain; charset=utf-8\n\none',
      'Content-Disposition: form-data; name="b"\n\ntwo',
    ]);
    expect(ids("POST", "/upload", headers, body)).toEqual([]);
  });

  it("flags a part declaring UTF-7, which hides markup from a UTF-8 reader", () => {
    const [headers, body] = multipart([
      'Content-Disposition: form-data; name="a"\nContent-Type: text/plain; CHARSET = UTF-7\n\n+ADw-',
    ]);
    expect(ids("POST", "/upload", headers, body)).toContain("protocol-multipart-charset");
  });
});

describe("hidden files in the path", () => {
  it.each(["/.codex/config.toml", "/.n8n/config", "/app/.aider/chat"])("flags %s", (path) => {
    expect(ids("GET", path)).toContain("lfi-restricted-path");
  });

  it("allows the registered .well-known folder", () => {
    expect(ids("GET", "/.well-known/openid-configuration")).toEqual([]);
  });
});

describe("PHP calls hidden by comments, escapes and computed names", () => {
  it.each([
    "exec#x\n ('id')",
    "exec /*c*/ (blah)",
    '"\\x73y\\x73tem"(ls);',
    "[system][0](ls);",
    "$_aB_4c[5]['d'] /*lol*/ (17)",
    "$" + "{@a}(10)",
    '(string)"sys"."t"."em" (\'uname\');',
  ])("flags %s", (payload) => {
    const found = ids("GET", `/q?x=${encodeURIComponent(payload)}`);
    expect(found.some((id) => id.startsWith("php-"))).toBe(true);
  });

  it.each(['this is a "dog" (not a cat)', "the system (our own) works", "$a[]()"])(
    "lets %s through",
    (text) => {
      expect(ids("GET", `/q?x=${encodeURIComponent(text)}`)).toEqual([]);
    },
  );
});

describe("command injection: globs, cmd.exe if, and English words that are commands", () => {
  it.each([
    "/etc/pas[s]wd",
    "/usr/bin/[u]name -a",
    "IF /I NOT EXIST C:\\x echo hey",
    "visudo",
    ";lastlog -u root",
    ";more /etc/hosts",
  ])("flags %s", (payload) => {
    expect(
      ids("GET", `/q?x=${encodeURIComponent(payload)}`).some((i) => i.startsWith("rce-")),
    ).toBe(true);
  });

  it.each(["hello; time he came", "a hero; more than", "ping pong tables", "/api/items[0]"])(
    "lets %s through",
    (text) => {
      expect(ids("GET", `/q?x=${encodeURIComponent(text)}`)).toEqual([]);
    },
  );
});

describe("script shapes beyond markup", () => {
  it.each(["while(!![]);", "while(-Infinity);", "d2hpbGUodHJ1ZSk7Cg=="])(
    "flags the endless loop %s",
    (payload) => {
      expect(ids("GET", `/q?eval=${encodeURIComponent(payload)}`)).toContain("node-endless-loop");
    },
  );

  it("lets a loop that ends through", () => {
    expect(ids("GET", `/q?eval=${encodeURIComponent("while(!true);")}`)).toEqual([]);
  });

  it.each([
    'document.body.appendChild(document.createElement("h1"))',
    'self /*x*/ ["alert"]("xss")',
    "Reflect.sort.call``",
  ])("flags DOM script %s", (payload) => {
    expect(ids("GET", `/q?x=${encodeURIComponent(payload)}`)).toContain("xss-dom-script");
  });
});

describe("SSRF decoys and Markdown code", () => {
  it.each(["http://169.254.169.254:80@evil.example/", "http://169.254.169.254.nip.io.local/"])(
    "flags the metadata address hidden in %s",
    (url) => {
      expect(ids("GET", `/fetch?url=${encodeURIComponent(url)}`)).toContain(
        "ssrf-internal-destination",
      );
    },
  );

  it("reads Markdown inline code in chat as a quotation, not a substitution", () => {
    const message = "Use `ls -la` in your terminal and then read the README";
    expect(ids("GET", `/chat?m=${encodeURIComponent(message)}`)).toEqual([]);
  });

  it("still flags a bare backtick substitution", () => {
    expect(ids("GET", `/q?x=${encodeURIComponent("`id`")}`)).toContain("rce-shell-substitution");
  });
});
