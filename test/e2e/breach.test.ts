import type { TestContext } from "vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_AWS_ACCOUNT,
  DEMO_DATA_BUCKET,
  DEMO_GATEWAY_VPCE,
  DEMO_PATCHES_BUCKET,
  demoAwsAssets,
  DEMO_SOURCES as SRC,
} from "../../db/src/seed/demo-inventory.ts";
import { DEMO_WEB_APP_HOST } from "../../db/src/seed/demo-policy.ts";
import type { RunningS3 } from "../s3/server.ts";
import { type RunningVulnerableApp, startVulnerableApp } from "../vulnerable-app/app.ts";
import {
  findDelivery,
  findEvent,
  isPending,
  type Pending,
  publishDraft,
  registerWebhook,
  type StoredEvent,
  waitForEnforcedVersion,
} from "./control.ts";
import { rawRequest, sigv4Header } from "./http.ts";
import {
  type Delivery,
  startMetadataWitness,
  startWebhookReceiver,
  type Witness,
} from "./listeners.ts";
import { insideLoopbackNamespace, NAMESPACE_ADDRESSES as NET } from "./netns.ts";
import {
  type ControlPlane,
  type EdgeWorker,
  type Gateway,
  PATCH_KEY,
  RECORDS_KEY,
  runDirectory,
  STOLEN_ACCESS_KEY,
  s3Host,
  startControlPlane,
  startGateway,
  startS3,
  startWorker,
} from "./stack.ts";

/**
 * The 2019 Capital One chain replayed against the real processes, in a network namespace with
 * only loopback. Each step asserts the decision, then (separately, so a missing route shows as
 * pending rather than failing the decision) the event in the control plane's API and its
 * delivery to the local webhook receiver. docs/breach-replay.md says what each step proves.
 */

const run = runDirectory();
let cp: ControlPlane;
let gateway: Gateway;
let s3: RunningS3;
let app: RunningVulnerableApp;
let metadata: Witness<string>;
let webhook: Witness<Delivery>;
let webhookState: true | Pending;
let published: number | Pending;
let worker: EdgeWorker | Error;

/** SSRF spellings of the metadata service, each as the application receives it. */
const METADATA_URLS = [
  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "http://0xa9fea9fe/latest/meta-data/iam/security-credentials/",
  "http://2852039166/latest/meta-data/iam/security-credentials/",
  "http://0251.0376.0251.0376/latest/meta-data/iam/security-credentials/",
  "http://169.254.43518/latest/meta-data/iam/security-credentials/",
  "http://[::ffff:169.254.169.254]/latest/meta-data/iam/security-credentials/",
  "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/",
  "http://metadata.google.internal/computeMetadata/v1/instance/",
];

const viaGateway = (from: string, bucket: string, key: string) =>
  rawRequest({
    connect: gateway.proxy,
    from,
    target: `http://${s3Host(bucket)}/${key}`,
    headers: { host: s3Host(bucket), authorization: sigv4Header(STOLEN_ACCESS_KEY) },
  });

/** Marks the reporting half of a step pending (with the missing route) or asserts it. */
async function reported(
  ctx: TestContext,
  match: (event: StoredEvent) => boolean,
  expectations: (event: StoredEvent) => void,
): Promise<StoredEvent | undefined> {
  const event = await findEvent(cp, match);
  if (isPending(event)) {
    ctx.skip(`pending: ${event.pending}`);
    return undefined;
  }
  expectations(event);
  return event;
}

async function delivered(ctx: TestContext, needles: string[]): Promise<void> {
  if (isPending(webhookState)) {
    ctx.skip(`pending: ${webhookState.pending}`);
    return;
  }
  const delivery = await findDelivery(webhook, needles);
  expect(delivery.headers["content-type"]).toContain("json");
}

beforeAll(async () => {
  expect(insideLoopbackNamespace(), "the replay must run in its loopback-only namespace").toBe(
    true,
  );
  metadata = await startMetadataWitness(NET.metadata);
  webhook = await startWebhookReceiver("127.0.0.1");
  s3 = await startS3();
  cp = await startControlPlane(run.dir);
  webhookState = await registerWebhook(cp, webhook);
  published = await publishDraft(cp);
  gateway = await startGateway(run.dir, cp);
  app = await startVulnerableApp({
    host: SRC.webApp,
    port: 8080,
    egressProxy: gateway.proxy,
    sourceAddress: SRC.webApp,
  });
  // The edge leg fails on its own if wrangler cannot run here; the other steps still run.
  worker = await startWorker(run.dir, cp, app.url).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
});

afterAll(async () => {
  if (worker && !(worker instanceof Error)) await worker.stop();
  await app?.close();
  await gateway?.process.stop();
  await cp?.process.stop();
  await s3?.close();
  await webhook?.close();
  await metadata?.close();
  run.cleanup();
});

describe("breach replay", () => {
  it("publishes the demo policy and the gateway reports enforcing it", async (ctx) => {
    if (isPending(published)) return ctx.skip(`pending: ${published.pending}`);
    await waitForEnforcedVersion(cp, gateway.enforcerName, published);
  });

  describe("a. SSRF to the metadata service through the application", () => {
    it.each(METADATA_URLS)("the gateway's egress guard refuses %s", async (url) => {
      const answer = await rawRequest({
        connect: { host: SRC.webApp, port: 8080 },
        from: NET.attacker,
        target: `/preview?url=${encodeURIComponent(url)}`,
      });
      expect(answer.status, answer.body.toString()).toBe(200);
      expect(answer.headers["x-upstream-status"], answer.body.toString()).toBe("403");
      expect(answer.body.toString()).not.toContain("AccessKeyId");
    });

    it.each(METADATA_URLS)("the WAF at the edge blocks %s before the app sees it", async (url) => {
      if (worker instanceof Error) throw worker;
      const edge = new URL(worker.url);
      const seenByApp = app.fetched.length;
      const answer = await rawRequest({
        connect: { host: edge.hostname, port: Number(edge.port) },
        target: `/preview?url=${encodeURIComponent(url)}`,
        headers: { host: DEMO_WEB_APP_HOST, "cf-connecting-ip": NET.attacker },
      });
      expect(answer.status, answer.body.toString()).toBe(403);
      expect(app.fetched.length).toBe(seenByApp);
    });

    it("the edge still serves the application's ordinary pages", async () => {
      if (worker instanceof Error) throw worker;
      const edge = new URL(worker.url);
      const answer = await rawRequest({
        connect: { host: edge.hostname, port: Number(edge.port) },
        target: "/",
        headers: { host: DEMO_WEB_APP_HOST, "cf-connecting-ip": NET.attacker },
      });
      expect(answer.status, answer.body.toString()).toBe(200);
      expect(answer.body.toString()).toContain("link preview");
    });

    it("never opened a connection to the metadata address", () => {
      expect(app.fetched.length).toBeGreaterThanOrEqual(METADATA_URLS.length);
      expect(metadata.seen).toEqual([]);
    });

    it("raises a denial event with its reasons", async (ctx) => {
      await reported(
        ctx,
        (e) => e.src?.ip === SRC.webApp && e.action === "deny",
        // Several spellings are refused, each with its own event; whichever comes first must
        // name the built-in metadata object as the reason.
        (e) => expect(e.reasons?.destination).toBe("object:builtin:cloud-metadata"),
      );
    });

    it("delivers it to the webhook receiver", (ctx) =>
      delivered(ctx, [SRC.webApp, "169.254.169.254"]));
  });

  describe("b. the stolen role's S3 access from outside the allowed objects", () => {
    it("is denied by micro-segmentation at the gateway, before S3 sees it", async () => {
      const before = s3.log.length;
      const outside = await viaGateway(NET.attacker, DEMO_DATA_BUCKET, RECORDS_KEY);
      expect(outside.status, outside.body.toString()).toBe(403);
      const insider = await viaGateway(SRC.ubuntu, DEMO_PATCHES_BUCKET, PATCH_KEY);
      expect(insider.status, insider.body.toString()).toBe(403);
      expect(s3.log.slice(before)).toEqual([]);
    });

    it("the direct path around the gateway is closed by the bucket policy Discover generated", async () => {
      const direct = () =>
        rawRequest({
          connect: { host: NET.s3Public, port: 80 },
          from: NET.attacker,
          target: `/${RECORDS_KEY}`,
          headers: {
            host: s3Host(DEMO_DATA_BUCKET),
            authorization: sigv4Header(STOLEN_ACCESS_KEY),
          },
        });
      // Before the fix the stolen keys read the bucket from anywhere: the 2019 exfiltration.
      expect((await direct()).status).toBe(200);

      const posture = await cp.api.expect<{
        items: { assetId: string; kind: string; fix: { document: unknown } }[];
      }>(200, "GET", `/api/v1/orgs/${cp.organizationId}/posture?vpce=${DEMO_GATEWAY_VPCE}`);
      const finding = posture.items.find(
        (f) => f.kind === "bucket_bypasses_gateway" && f.assetId.endsWith(DEMO_DATA_BUCKET),
      );
      expect(finding, JSON.stringify(posture.items)).toBeDefined();
      const put = await rawRequest({
        connect: { host: NET.s3VpcEndpoint, port: 80 },
        from: SRC.webApp,
        method: "PUT",
        target: "/?policy",
        headers: { host: s3Host(DEMO_DATA_BUCKET), authorization: sigv4Header(STOLEN_ACCESS_KEY) },
        body: JSON.stringify(finding?.fix.document),
      });
      expect(put.status, put.body.toString()).toBe(204);

      const after = await direct();
      expect(after.status).toBe(403);
      expect(s3.log.at(-1)).toMatchObject({
        sourceIp: NET.attacker,
        statement: "RingfenceOnlyThroughGateway",
      });
    });

    it("raises denial events naming the rule set's default", async (ctx) => {
      await reported(
        ctx,
        (e) => e.src?.ip === NET.attacker && e.action === "deny",
        (e) => expect(e.reasons).toBeDefined(),
      );
    });

    it("delivers them to the webhook receiver", (ctx) => delivered(ctx, [NET.attacker]));
  });

  describe("c. bulk download of customer records by an allowed source", () => {
    it("is stopped by DLP", async (ctx) => {
      const answer = await viaGateway(SRC.analytics, DEMO_DATA_BUCKET, RECORDS_KEY);
      const full = s3.log.at(-1);
      expect(full, "the request reached S3 through the VPC endpoint").toMatchObject({
        sourceIp: expect.any(String),
        vpce: DEMO_GATEWAY_VPCE,
        status: 200,
      });
      const blockedBeforeHeaders = answer.status === 403;
      const abortedMidStream = answer.status === 200 && answer.aborted;
      expect(
        blockedBeforeHeaders || abortedMidStream,
        `status ${answer.status}, ${answer.body.length} bytes, aborted ${answer.aborted}`,
      ).toBe(true);
      const how = blockedBeforeHeaders ? "blocked before its headers (403)" : "aborted mid-stream";
      ctx.annotate(`DLP ${how} after ${answer.body.length} bytes`);
      expect(answer.body.toString()).not.toMatch(/C0019999/);
    });

    it("raises a detection event with the DLP findings", async (ctx) => {
      await reported(
        ctx,
        (e) => e.src?.ip === SRC.analytics && (e.detections?.length ?? 0) > 0,
        (e) => expect(e.detections?.map((d) => d.category)).toContain("dlp"),
      );
    });

    it("delivers it to the webhook receiver", (ctx) => delivered(ctx, [SRC.analytics]));
  });

  describe("d. the legitimate patch download from a CentOS 7 source", () => {
    it("succeeds through the gateway, for CentOS 7 and for VNetb", async () => {
      for (const source of [SRC.centos7, SRC.vnetbVm]) {
        const answer = await viaGateway(source, DEMO_PATCHES_BUCKET, PATCH_KEY);
        expect(answer.status, answer.body.toString()).toBe(200);
        expect(answer.aborted).toBe(false);
        expect(answer.body.length).toBe(256 * 1024);
      }
    });

    it("raises allow events naming the rule and the source objects", async (ctx) => {
      await reported(
        ctx,
        (e) => e.src?.ip === SRC.centos7 && e.action === "allow",
        (e) => {
          expect(e.reasons?.ruleId).toBe("patches-for-centos7-and-vnetb");
          expect(e.reasons?.sourceObjects).toContain("patch-clients");
        },
      );
    });

    it("delivers them to the webhook receiver", (ctx) => delivered(ctx, [SRC.centos7]));
  });

  describe("e. the CentOS instance's tag changes in the inventory", () => {
    let before = 0;
    let after: number | undefined;

    it("imports the changed inventory through the API", async () => {
      expect((await viaGateway(SRC.centos7, DEMO_PATCHES_BUCKET, PATCH_KEY)).status).toBe(200);
      before = published as number;
      const accounts = await cp.api.expect<{
        items: { id: string; provider: string; cloudAccountId: string }[];
      }>(200, "GET", `/api/v1/orgs/${cp.organizationId}/accounts`);
      const aws = accounts.items.find((a) => a.cloudAccountId === DEMO_AWS_ACCOUNT);
      const assets = demoAwsAssets().map((asset) =>
        asset.addresses.private.includes(SRC.centos7)
          ? { ...asset, tags: { ...asset.tags, OS: "CentOS 8.x" } }
          : asset,
      );
      const text = JSON.stringify({ schemaVersion: 1, assets });
      const result = await cp.api.expect<{ changed: number; removed: number }>(
        200,
        "POST",
        `/api/v1/orgs/${cp.organizationId}/accounts/${aws?.id}/import`,
        { files: [{ name: "acme-production.json", text }] },
      );
      expect(result).toMatchObject({ changed: 1, removed: 0 });
    });

    it("recompiles and publishes by itself when object membership changed", async (ctx) => {
      try {
        after = await nextVersion(before, 60_000);
      } catch {
        ctx.skip(
          "pending: an inventory change does not trigger Deploy's recompile yet " +
            "(importInventory and DiscoveryRuntime.onInventoryChanged do not call recompileIfMembershipChanged)",
        );
      }
    });

    it("withdraws the instance's access once the gateway enforces the new version", async () => {
      if (after === undefined) {
        // The automatic trigger is pending; Deploy's own recompile route does the same compile.
        await cp.api.expect(200, "POST", `/api/v1/orgs/${cp.organizationId}/policy/recompile`, {});
        after = await nextVersion(before, 60_000);
      }
      const waited = await waitForEnforcedVersion(cp, gateway.enforcerName, after, 120_000);
      say(`gateway enforced version ${after} ${waited} ms after it was seen published`);
      const withdrawn = await viaGateway(SRC.centos7, DEMO_PATCHES_BUCKET, PATCH_KEY);
      expect(withdrawn.status, withdrawn.body.toString()).toBe(403);
      const unchanged = await viaGateway(SRC.centos7Second, DEMO_PATCHES_BUCKET, PATCH_KEY);
      expect(unchanged.status).toBe(200);
    });
  });
});

/** The newest published bundle version once it exceeds `than`, polling the bundles API. */
async function nextVersion(than: number, deadlineMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    const page = await cp.api.expect<{ items: { version: number }[] }>(
      200,
      "GET",
      `/api/v1/orgs/${cp.organizationId}/bundles?limit=1`,
    );
    const newest = page.items[0]?.version ?? 0;
    if (newest > than) return newest;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no version after ${than} within ${deadlineMs} ms`);
}

/** Prints a measured fact of the run (how long the gateway took to follow). */
function say(line: string): void {
  process.stdout.write(`breach replay: ${line}\n`);
}
