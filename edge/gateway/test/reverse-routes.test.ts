import { describe, expect, it } from "vitest";
import { ConfigError, parseGatewayConfig } from "../src/config.ts";
import { compileRoutes, matchRoute } from "../src/reverse/routes.ts";
import { forwardedHeaders, requestPath } from "../src/reverse/target.ts";

const routes = compileRoutes([
  { pathPrefix: "/", upstream: "http://catchall.internal:8080", profiles: [] },
  { host: "app.test", pathPrefix: "/", upstream: "https://app.internal", profiles: ["waf"] },
  { host: "app.test", pathPrefix: "/api", upstream: "https://api.internal/v1/", profiles: [] },
]);

describe("reverse proxy route matching", () => {
  it("picks the longest path prefix among routes for the host", () => {
    expect(matchRoute(routes, "app.test", "/api/users")?.target).toMatchObject({
      host: "api.internal",
      port: 443,
      basePath: "/v1",
    });
    expect(matchRoute(routes, "app.test", "/api")?.target.host).toBe("api.internal");
  });

  it("matches prefixes on segment boundaries only", () => {
    expect(matchRoute(routes, "app.test", "/apix")?.target.host).toBe("app.internal");
  });

  it("prefers a route naming the host over a catch-all with the same prefix", () => {
    expect(matchRoute(routes, "app.test", "/")?.target.host).toBe("app.internal");
    expect(matchRoute(routes, "other.test", "/")?.target).toMatchObject({
      host: "catchall.internal",
      port: 8080,
      tls: false,
    });
  });

  it("finds nothing when no route covers the host", () => {
    expect(matchRoute(routes.slice(1), "other.test", "/")).toBeUndefined();
  });
});

describe("reverse proxy request targets", () => {
  it("normalises dot segments so routing and forwarding see one path", () => {
    expect(requestPath("/public/../admin?x=1")).toEqual({
      kind: "path",
      pathname: "/admin",
      search: "?x=1",
    });
    expect(requestPath("/a/%2e%2e/b")).toMatchObject({ pathname: "/b" });
  });

  it("refuses encoded slashes, backslashes and non-origin targets", () => {
    for (const target of ["/a%2fb", "/a%5Cb", "/a\\b", "http://x/", "*"]) {
      expect(requestPath(target).kind, target).toBe("invalid");
    }
  });

  it("keeps a protocol-relative looking target on the gateway", () => {
    expect(requestPath("//evil.test/x")).toMatchObject({ kind: "path", pathname: "//evil.test/x" });
  });

  it("replaces every forwarding claim with the gateway's own", () => {
    const headers = forwardedHeaders(
      [
        ["Host", "app.test"],
        ["X-Forwarded-For", "1.2.3.4"],
        ["X-Forwarded-Host", "evil.test"],
        ["Forwarded", "for=1.2.3.4"],
        ["X-Real-IP", "1.2.3.4"],
      ],
      "10.0.0.7",
      "https",
    );
    expect(headers).toEqual([
      ["Host", "app.test"],
      ["x-forwarded-for", "10.0.0.7"],
      ["x-forwarded-proto", "https"],
    ]);
  });
});

describe("reverse proxy configuration", () => {
  const base = { stateDir: "/tmp/ringfence-test" };
  const route = { pathPrefix: "/", upstream: "https://app.internal" };

  it("accepts a listener with TLS and routes, filling profile defaults", () => {
    const config = parseGatewayConfig({
      ...base,
      reverse: {
        listen: { host: "127.0.0.1", port: 8443 },
        tls: { certFile: "/etc/rf/app.pem", keyFile: "/etc/rf/app.key" },
        routes: [route],
      },
    });
    expect(config.reverse?.routes[0]?.profiles).toEqual([]);
  });

  it("names each bad route setting", () => {
    const bad = {
      ...base,
      reverse: {
        listen: { host: "127.0.0.1", port: 8443 },
        routes: [
          { ...route, upstream: "ftp://x" },
          { ...route, pathPrefix: "api", host: "app.test:443" },
          { ...route, upstream: "https://user:pw@app.internal" },
        ],
      },
    };
    expect(() => parseGatewayConfig(bad)).toThrow(ConfigError);
    const message = (() => {
      try {
        parseGatewayConfig(bad);
        return "";
      } catch (error) {
        return String(error);
      }
    })();
    for (const setting of [
      "reverse.routes.0.upstream",
      "reverse.routes.1.pathPrefix",
      "reverse.routes.1.host",
      "reverse.routes.2.upstream",
    ]) {
      expect(message).toContain(`${setting}:`);
    }
  });

  it("refuses a reverse section without routes", () => {
    expect(() =>
      parseGatewayConfig({
        ...base,
        reverse: { listen: { host: "127.0.0.1", port: 1 }, routes: [] },
      }),
    ).toThrow(/reverse\.routes/);
  });
});
