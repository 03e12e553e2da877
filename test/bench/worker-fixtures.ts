/**
 * Policies of the worker benchmark. The bench client connects from loopback, so the inspected
 * rule names loopback as its source and any destination (wrangler dev may present the Host as
 * 127.0.0.1 or localhost).
 */
import type { InspectionProfileInput } from "@ringfence/engine/inspect";
import { resolvePolicy } from "@ringfence/engine/policy";

/** The inspection profiles of inspected requests: WAF at paranoia 1, built-in IPS, DLP. */
export const PROFILES = [
  { id: "edge-waf", kind: "waf", paranoia: 1 },
  { id: "edge-ips", kind: "ips", builtin: true },
  {
    id: "edge-dlp",
    kind: "dlp",
    directions: ["request", "response"],
    detectors: [
      { detector: "credit-card", action: "block" },
      { detector: "aws-access-key-id", action: "block" },
    ],
  },
] satisfies InspectionProfileInput[];

/** An order of about `bytes` bytes with few, long fields, as a real API body would have. */
export function json(bytes: number): string {
  const words = "deliver to the loading dock at the back of the building before noon ";
  const items = Array.from({ length: 8 }, (_, n) => ({
    sku: `SKU-${n}`,
    quantity: n + 1,
    note: words.repeat(Math.max(1, Math.floor(bytes / 8 / words.length))).slice(0, bytes / 8),
  }));
  return JSON.stringify({ order: 7, items });
}

/** The Host of requests a forwarding-mode rule admits without inspection. */
export const UNINSPECTED_HOST = "direct.example.test";

/**
 * Loopback clients get full inspection (WAF, IPS, DLP both ways), except on UNINSPECTED_HOST,
 * whose forwarding-mode rule shows what the worker costs without the inspection engine;
 * everything else is denied.
 */
export function storefrontPolicy() {
  return resolvePolicy(
    {
      schemaVersion: 1,
      objects: [
        { id: "bench-clients", kind: "static", addresses: ["127.0.0.0/8", "::1/128"] },
        { id: "direct", kind: "fqdn", fqdns: [UNINSPECTED_HOST] },
      ],
      ruleSets: [
        {
          id: "edge",
          defaultAction: "deny",
          rules: [
            {
              id: "bench-direct",
              sources: ["bench-clients"],
              destinations: ["direct"],
              action: "allow",
            },
            {
              id: "bench-inspected",
              sources: ["bench-clients"],
              action: "allow",
              mode: "proxy",
              profiles: PROFILES.map((p) => p.id),
            },
          ],
        },
      ],
      profiles: PROFILES,
    },
    { schemaVersion: 1, assets: [] },
  );
}

/**
 * A policy over `assets` instances spread across 200 teams, one tag-selected address object and
 * one rule per team. Loopback is in no team, so once this bundle is enforced the bench client is
 * denied by default: that flip is how the benchmark knows the bundle is live.
 */
export function largePolicy(assets: number): [unknown, unknown] {
  const teams = 200;
  const inventory = {
    schemaVersion: 1,
    assets: Array.from({ length: assets }, (_, n) => ({
      id: `i-${n.toString(16).padStart(17, "0")}`,
      provider: "aws",
      kind: "instance",
      account: "111122223333",
      region: "us-east-1",
      addresses: {
        private: [`10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`],
        public: [],
      },
      attributes: {},
      tags: { team: `team-${n % teams}` },
    })),
  };
  const objects = Array.from({ length: teams }, (_, t) => ({
    id: `team-${t}`,
    kind: "dynamic",
    selector: `tag.team == "team-${t}"`,
  }));
  const rules = objects.map((object) => ({
    id: `allow-${object.id}`,
    sources: [object.id],
    action: "allow",
    mode: "proxy",
    profiles: PROFILES.map((p) => p.id),
  }));
  const policy = {
    schemaVersion: 1,
    objects,
    ruleSets: [{ id: "edge", defaultAction: "deny", rules }],
    profiles: PROFILES,
  };
  return [policy, inventory];
}
