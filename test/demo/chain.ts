import {
  DEMO_DATA_BUCKET,
  DEMO_GATEWAY_VPCE,
  DEMO_PATCHES_BUCKET,
  DEMO_SOURCES as SRC,
} from "../../db/src/seed/demo-inventory.ts";
import { DEMO_WEB_APP_HOST } from "../../db/src/seed/demo-policy.ts";
import type { ControlPlaneApi } from "../e2e/api.ts";
import { rawRequest, sigv4Header } from "../e2e/http.ts";
import { NAMESPACE_ADDRESSES as NET } from "../e2e/netns.ts";
import { PATCH_KEY, RECORDS_KEY, STOLEN_ACCESS_KEY, s3Host } from "../e2e/stack.ts";

/** Where the running product is; every address is a literal (no name is ever resolved). */
export interface Targets {
  controlPlane: ControlPlaneApi;
  organizationId: string;
  gateway: { host: string; port: number };
  app: { host: string; port: number };
  s3Public: { host: string; port: number };
  s3VpcEndpoint: { host: string; port: number };
  worker?: { host: string; port: number };
}

/** One line of the report: the step, whether Ringfence did what it should, and what was seen. */
export interface StepResult {
  step: string;
  ok: boolean;
  detail: string;
}

const SSRF = [
  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "http://0xa9fea9fe/latest/meta-data/iam/security-credentials/",
  "http://2852039166/latest/meta-data/iam/security-credentials/",
  "http://[::ffff:169.254.169.254]/latest/meta-data/",
];

const s3Get = (t: Targets, from: string, bucket: string, key: string) =>
  rawRequest({
    connect: t.gateway,
    from,
    target: `http://${s3Host(bucket)}/${key}`,
    headers: { host: s3Host(bucket), authorization: sigv4Header(STOLEN_ACCESS_KEY) },
  });

async function stepA(t: Targets): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const url of SSRF) {
    const target = `/preview?url=${encodeURIComponent(url)}`;
    const viaApp = await rawRequest({ connect: t.app, from: NET.attacker, target });
    const upstream = viaApp.headers["x-upstream-status"];
    results.push({
      step: `a  SSRF ${url.slice(7, 30)} via app → gateway`,
      ok: upstream === "403",
      detail: `gateway answered ${String(upstream)}`,
    });
    if (!t.worker) continue;
    const headers = { host: DEMO_WEB_APP_HOST, "cf-connecting-ip": NET.attacker };
    const edge = await rawRequest({ connect: t.worker, target, headers });
    results.push({
      step: `a  SSRF ${url.slice(7, 30)} at the edge WAF`,
      ok: edge.status === 403,
      detail: `edge answered ${edge.status}`,
    });
  }
  return results;
}

async function stepB(t: Targets): Promise<StepResult[]> {
  const outside = await s3Get(t, NET.attacker, DEMO_DATA_BUCKET, RECORDS_KEY);
  const path = `/api/v1/orgs/${t.organizationId}/posture?vpce=${DEMO_GATEWAY_VPCE}`;
  const posture = await t.controlPlane.expect<{
    items: { assetId: string; fix: { document: unknown } }[];
  }>(200, "GET", path);
  const fix = posture.items.find((f) => f.assetId.endsWith(DEMO_DATA_BUCKET))?.fix.document;
  if (fix) {
    await rawRequest({
      connect: t.s3VpcEndpoint,
      from: SRC.webApp,
      method: "PUT",
      target: "/?policy",
      headers: { host: s3Host(DEMO_DATA_BUCKET), authorization: sigv4Header(STOLEN_ACCESS_KEY) },
      body: JSON.stringify(fix),
    });
  }
  const direct = await rawRequest({
    connect: t.s3Public,
    from: NET.attacker,
    target: `/${RECORDS_KEY}`,
    headers: { host: s3Host(DEMO_DATA_BUCKET), authorization: sigv4Header(STOLEN_ACCESS_KEY) },
  });
  return [
    {
      step: "b  stolen keys through the gateway",
      ok: outside.status === 403,
      detail: `${outside.status}`,
    },
    {
      step: "b  stolen keys straight to S3 (Discover's bucket policy)",
      ok: direct.status === 403,
      detail: fix
        ? `policy applied, S3 answered ${direct.status}`
        : "no posture finding (already closed?)",
    },
  ];
}

async function stepsCD(t: Targets): Promise<StepResult[]> {
  const bulk = await s3Get(t, SRC.analytics, DEMO_DATA_BUCKET, RECORDS_KEY);
  const how =
    bulk.status === 403
      ? "blocked before headers"
      : bulk.aborted
        ? "aborted mid-stream"
        : "not stopped";
  const patch = await s3Get(t, SRC.centos7, DEMO_PATCHES_BUCKET, PATCH_KEY);
  return [
    {
      step: "c  bulk records by analytics (DLP)",
      ok: how !== "not stopped",
      detail: `${how}, ${bulk.body.length} bytes got through`,
    },
    {
      step: "d  CentOS 7 patch download",
      ok: patch.status === 200 && !patch.aborted,
      detail: `${patch.status}, ${patch.body.length} bytes`,
    },
  ];
}

/** Replays steps a–d against the targets; step e changes the inventory and is left to the test. */
export async function replayChain(t: Targets): Promise<StepResult[]> {
  return [...(await stepA(t)), ...(await stepB(t)), ...(await stepsCD(t))];
}

/** Prints the report and answers the process exit code (0 only when every step held). */
export function printReport(results: StepResult[], write: (line: string) => void): number {
  write("Ringfence breach replay (Capital One, 2019)");
  for (const r of results) write(`${r.ok ? "STOPPED/OK " : "FAILED     "} ${r.step}: ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  write(failed === 0 ? "every step held" : `${failed} step(s) did not hold`);
  return failed === 0 ? 0 : 1;
}
