import { describe, expect, it } from "vitest";
import { type DecisionEvent, parseDecisionEvent } from "../../src/documents/index.ts";
import {
  type AuditRecord,
  apiActivityOf,
  OCSF_CLASSES,
  OCSF_VERSION,
  ocsfEventsOf,
} from "../../src/ocsf/index.ts";
import { OcsfSchema } from "./schema.ts";
import { validateOcsf } from "./validate.ts";

const schema = new OcsfSchema();
const options = { productVersion: "0.1.0" };

function decision(overrides: Partial<DecisionEvent>): DecisionEvent {
  return parseDecisionEvent({
    schemaVersion: 1,
    id: crypto.randomUUID(),
    time: "2026-12-04T10:00:00.000Z",
    enforcer: { id: "enf_01", kind: "gateway" },
    kind: "connection",
    action: "allow",
    src: { ip: "10.0.1.5", port: 51000 },
    dst: {
      host: "bucket.s3.amazonaws.com",
      ip: "52.216.1.2",
      port: 443,
      sni: "bucket.s3.amazonaws.com",
    },
    reasons: {
      ruleId: "rul_1",
      ruleSetId: "rst_1",
      sourceObjects: ["web-tier"],
      mode: "forwarding",
      monitor: false,
    },
    ...overrides,
  });
}

const detection = (category: string, severity: "low" | "medium" | "high" | "critical") => ({
  id: `${category}-942100`,
  category,
  location: "query:url",
  evidence: "http://169.254.169.254/…",
  severity,
  action: "deny" as const,
});

const samples: Record<string, DecisionEvent> = {
  "allowed connection": decision({}),
  "denied connection by default": decision({
    action: "deny",
    dst: { port: 5432, ip: "10.0.9.9" },
    reasons: { sourceObjects: [], mode: "forwarding", monitor: false, default: true },
  }),
  "monitored connection": decision({ action: "monitor", bytes: { in: 10, out: 20 } }),
  "request with WAF, IPS, DLP and malware hits": decision({
    kind: "request",
    action: "deny",
    http: {
      method: "GET",
      url: "https://app.example/fetch?u=http://169.254.169.254/",
      status: 403,
    },
    detections: [
      detection("waf", "critical"),
      detection("ips", "high"),
      detection("dlp", "medium"),
      detection("malware", "low"),
    ],
  }),
  "request with an unusual method": decision({
    kind: "request",
    http: { method: "PROPFIND", url: "not a url" },
  }),
};

const audit: AuditRecord = {
  id: "aud_01",
  organizationId: "org_01",
  actorType: "api_key",
  actorId: "key_01",
  action: "integration.create",
  targetType: "integration",
  targetId: "int_01",
  requestId: "req_1",
  createdAt: new Date("2026-12-04T10:00:00Z"),
};

describe("OCSF builders against the 1.8 schema in ../shared/ocsf", () => {
  it("reads the schema release the builders target", () => {
    expect(schema.version).toBe(OCSF_VERSION);
  });

  for (const [name, event] of Object.entries(samples)) {
    it(`emits only conforming events for a ${name}`, () => {
      for (const ocsf of ocsfEventsOf(event, options)) {
        expect(validateOcsf(schema, ocsf), `class ${ocsf.class_uid}`).toEqual([]);
      }
    });
  }

  it("emits a conforming API Activity for an audit entry, by user and by key", () => {
    expect(validateOcsf(schema, apiActivityOf(audit, "0.1.0"))).toEqual([]);
    const byUser = {
      ...audit,
      actorType: "user",
      actorId: "usr_1",
      requestId: null,
      action: "x.rotate",
    };
    expect(validateOcsf(schema, apiActivityOf(byUser, "0.1.0"))).toEqual([]);
  });

  it("maps each kind of decision to its class, one finding per detection", () => {
    const classes = (event: DecisionEvent) => ocsfEventsOf(event, options).map((e) => e.class_uid);
    expect(classes(decision({}))).toEqual([OCSF_CLASSES.networkActivity]);
    const request = samples["request with WAF, IPS, DLP and malware hits"];
    expect(request && classes(request)).toEqual([4002, 2004, 2004, 2004, 2004]);
    expect(apiActivityOf(audit, "0.1.0").class_uid).toBe(OCSF_CLASSES.apiActivity);
  });

  it("carries the reasons in firewall_rule and policy, and the verdict in action/disposition", () => {
    const [denied] = ocsfEventsOf(decision({ action: "deny" }), options);
    expect(denied).toMatchObject({
      action_id: 2,
      disposition_id: 2,
      firewall_rule: { uid: "rul_1", match_details: ["web-tier"] },
      policy: { uid: "rst_1" },
      activity_id: 5,
    });
    const [monitored] = ocsfEventsOf(decision({ action: "monitor" }), options);
    expect(monitored).toMatchObject({ action_id: 1, disposition_id: 15 });
  });

  it("the validator itself finds a missing required attribute, a bad enum and a bad type", () => {
    const [event] = ocsfEventsOf(decision({}), options);
    const broken = { ...event, metadata: undefined, action_id: 7, time: "yesterday" };
    const paths = validateOcsf(schema, broken).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(["$.metadata", "$.action_id", "$.time"]));
    const noUid = {
      ...event,
      finding_info: {},
      class_uid: 2004,
      type_uid: 200401,
      category_uid: 2,
    };
    const findingPaths = validateOcsf(schema, noUid).map((issue) => issue.path);
    expect(findingPaths).toContain("$.finding_info.uid");
  });
});
