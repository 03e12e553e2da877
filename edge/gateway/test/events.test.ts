import { decisionEventSchema } from "@ringfence/engine/documents";
import { resolvePolicy } from "@ringfence/engine/policy";
import { describe, expect, it } from "vitest";
import { compilePolicy } from "../src/engine/policy.ts";
import { buildEvent } from "../src/events/build.ts";

const policy = compilePolicy(
  resolvePolicy(
    {
      schemaVersion: 1,
      objects: [],
      services: [{ id: "reports", kind: "s3", bucket: "corp-data", region: "eu-west-1" }],
      ruleSets: [
        {
          id: "egress",
          defaultAction: "deny",
          rules: [{ id: "reads", destinations: ["reports"], action: "allow", mode: "proxy" }],
        },
      ],
      profiles: [],
    },
    { schemaVersion: 1, assets: [] },
  ),
  1,
);

describe("gateway decision events", () => {
  it("carry the engine's refusal of a dot segment in a path-style S3 request", () => {
    const decision = policy.decide({
      srcIp: "10.0.0.5",
      dstHost: "s3.eu-west-1.amazonaws.com",
      dstPort: 443,
      method: "GET",
      path: "/other/%2E%2E/corp-data/key",
    });
    const event = buildEvent({
      enforcerId: "gw-1",
      kind: "request",
      decision,
      src: { ip: "10.0.0.5", port: 50000 },
      dst: { host: "s3.eu-west-1.amazonaws.com", port: 443 },
    });

    expect(event.action).toBe("deny");
    expect(event.reasons.refused).toMatch(/dot segment "%2E%2E"/);
    expect(decisionEventSchema.safeParse(event).success).toBe(true);
  });
});
