import { describe, expect, it } from "vitest";
import { compileProfiles, defaultProfiles, inspectRequest } from "../../src/inspect/index.ts";
import { request } from "./helpers.ts";

const compiled = compileProfiles(defaultProfiles());
const form: [string, string] = ["Content-Type", "application/x-www-form-urlencoded"];
const json: [string, string] = ["Content-Type", "application/json"];

function categories(method: string, target: string, headers: [string, string][] = [], body = "") {
  return inspectRequest(compiled, request(method, target, headers, body)).detections.map(
    (d) => d.category,
  );
}

describe("WAF SSRF rule group (lexical guard)", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://0xa9fea9fe/latest/meta-data/",
    "http://2852039166/",
    "http://[::ffff:169.254.169.254]/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "gopher://127.0.0.1:6379/_INFO",
    "file:///etc/passwd",
    "dict://localhost:11211/stats",
  ])("blocks %s in a URL-valued parameter", (url) => {
    const result = inspectRequest(
      compiled,
      request("GET", `/fetch?url=${encodeURIComponent(url)}`),
    );
    expect(result.action).toBe("block");
    expect(result.detections.map((d) => d.category)).toContain("ssrf");
  });

  it("judges URL values inside JSON bodies and names the JSON path", () => {
    const body = JSON.stringify({ user: { avatar: "http://169.254.169.254/latest/user-data" } });
    const result = inspectRequest(
      compiled,
      request("POST", "/profile", [json, ["Content-Length", String(body.length)]], body),
    );
    expect(result.detections.find((d) => d.category === "ssrf")?.location).toBe(
      "body:$.user.avatar",
    );
  });

  it("does not flag prose that merely mentions an internal address", () => {
    const body = JSON.stringify({
      message: "Our staging box answers on 127.0.0.1:8080 and 10.0.0.5, see the wiki",
    });
    expect(
      categories("POST", "/chat", [json, ["Content-Length", String(body.length)]], body),
    ).toEqual([]);
  });

  it("allows public URLs", () => {
    expect(categories("GET", "/fetch?url=https%3A%2F%2Fexample.com%2Fimage.png")).toEqual([]);
  });
});

describe("WAF injection families", () => {
  it.each([
    ["sqli", "/items?id=1%27%20OR%20%271%27%3D%271"],
    ["sqli", "/items?id=1%20UNION%20SELECT%20username,password%20FROM%20users"],
    ["xss", "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"],
    ["xss", "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"],
    ["rce", "/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fpasswd"],
    ["lfi", "/download?file=..%2F..%2F..%2Fetc%2Fpasswd"],
    ["java", "/?q=%24%7B%24%7Blower%3Aj%7Dndi%3Aldap%3A%2F%2Fx%2Fa%7D"],
    ["php", "/?page=php%3A%2F%2Ffilter%2Fconvert.base64-encode%2Fresource%3Dindex"],
    ["ssti", "/?name=%7B%7B7*7%7D%7D"],
    ["prototype-pollution", "/?__proto__%5Badmin%5D=1"],
  ])("detects %s in %s", (category, target) => {
    expect(categories("GET", target)).toContain(category);
  });

  it("passes ordinary form posts and prose", () => {
    const body =
      "name=Jo+O%27Brien&comment=I+select+the+blue+one+from+the+list+and+drop+by+later&qty=2";
    expect(
      categories("POST", "/order", [form, ["Content-Length", String(body.length)]], body),
    ).toEqual([]);
  });

  it("flags scanner user-agents", () => {
    expect(categories("GET", "/", [["User-Agent", "sqlmap/1.7"]])).toContain("scanner");
  });
});

describe("WAF profiles: paranoia, exclusions and monitor mode", () => {
  it("reports but does not block in monitor mode", () => {
    const monitor = compileProfiles(defaultProfiles({ mode: "monitor" }));
    const result = inspectRequest(
      monitor,
      request("GET", "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    );
    expect(result.action).toBe("monitor");
    expect(result.detections.every((d) => d.action === "log")).toBe(true);
  });

  it("drops detections excluded for a path, argument and rule", () => {
    const profiles = compileProfiles([
      { kind: "waf", id: "w", exclusions: [{ path: "/cms", location: "body:html", rule: "xss" }] },
    ]);
    const body = "html=%3Cscript%3Ex()%3C%2Fscript%3E";
    const headers: [string, string][] = [form, ["Content-Length", String(body.length)]];
    expect(inspectRequest(profiles, request("POST", "/cms/page", headers, body)).action).toBe(
      "allow",
    );
    expect(inspectRequest(profiles, request("POST", "/blog/page", headers, body)).action).toBe(
      "block",
    );
  });

  it("adds rules at higher paranoia levels", () => {
    const strict = compileProfiles(defaultProfiles({ paranoia: 2 }));
    const target = "/?next=https%3A%2F%2Fexample.org%2Fa";
    expect(inspectRequest(compiled, request("GET", target)).detections).toEqual([]);
    expect(inspectRequest(strict, request("GET", target)).detections.map((d) => d.id)).toContain(
      "rfi-offsite-url",
    );
  });
});
