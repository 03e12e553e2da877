import { resolvePolicy } from "@ringfence/engine/policy";

/**
 * A small policy for the worker's own tests: 203.0.113.0/24 may reach app.example.test through
 * WAF and response DLP (proxy mode); 198.51.100.0/24 passes without inspection; the rest is
 * denied by default.
 */
export const storefrontPolicy = resolvePolicy(
  {
    schemaVersion: 1,
    objects: [
      { id: "office", kind: "static", addresses: ["203.0.113.0/24"] },
      { id: "partners", kind: "static", addresses: ["198.51.100.0/24"] },
      { id: "app", kind: "fqdn", fqdns: ["app.example.test"] },
    ],
    ruleSets: [
      {
        id: "edge",
        defaultAction: "deny",
        rules: [
          {
            id: "office-inspected",
            sources: ["office"],
            destinations: ["app"],
            action: "allow",
            mode: "proxy",
            profiles: ["waf", "dlp-out"],
          },
          { id: "partners-direct", sources: ["partners"], destinations: ["app"], action: "allow" },
        ],
      },
    ],
    profiles: [
      { id: "waf", kind: "waf" },
      {
        id: "dlp-out",
        kind: "dlp",
        directions: ["response"],
        detectors: [{ detector: "credit-card", action: "block" }],
      },
    ],
  },
  { schemaVersion: 1, assets: [] },
);

export const STATUS_AUTH = { authorization: "Bearer status-token-0123456789" };
